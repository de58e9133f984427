"""GoogleWorkspaceOidcClient: nothing to create; a fixed issuer, no groups claim, and the client
secret as a sensitive Terraform variable that never holds a value in the synthesised JSON."""

from __future__ import annotations

from typing import Any

import pytest
from idp_synth import resolve, synth_idp

from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.security_rules import secrets_stay_sensitive
from constructs_lib.oidc import OidcClientType

CLIENT_ID = "1234-abc.apps.googleusercontent.com"


@pytest.fixture(scope="module")
def google() -> tuple[GoogleWorkspaceOidcClient, dict[str, Any]]:
    return synth_idp(
        GoogleWorkspaceOidcClient, GoogleWorkspaceOidcClientProps(name="data-gws", prefix="gws:", client_id=CLIENT_ID)
    )


def test_creates_no_resources_and_declares_the_secret_as_a_sensitive_variable(
    google: tuple[GoogleWorkspaceOidcClient, dict[str, Any]],
) -> None:
    stack = google[1]
    assert "resource" not in stack
    assert "data" not in stack
    assert "provider" not in stack
    variable = stack["variable"]["google_workspace_client_secret"]
    assert variable["sensitive"] is True
    assert variable["type"] == "string"
    assert variable["nullable"] is False
    assert "default" not in variable
    assert set(stack["variable"]) == {"google_workspace_client_secret"}


def test_client_secret_is_the_variable(google: tuple[GoogleWorkspaceOidcClient, dict[str, Any]]) -> None:
    construct = google[0]
    assert resolve(construct, construct.client_secret) == "${var.google_workspace_client_secret}"


def test_oidc_config_has_google_issuer_email_no_groups_and_needs_the_secret(
    google: tuple[GoogleWorkspaceOidcClient, dict[str, Any]],
) -> None:
    assert google[0].oidc_config.as_output() == {
        "client_id": CLIENT_ID,
        "issuer_url": "https://accounts.google.com",
        "user_claim": "email",
        "groups_claim": None,
        "username_prefix": "gws:",
        "groups_prefix": "gws:",
        "scopes": [
            "openid",
            "https://www.googleapis.com/auth/userinfo.profile",
            "https://www.googleapis.com/auth/userinfo.email",
        ],
        "pkce_method": "S256",
        "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
        "requires_client_secret": True,
    }


def test_security_rule_holds(google: tuple[GoogleWorkspaceOidcClient, dict[str, Any]]) -> None:
    assert secrets_stay_sensitive(google[1]) == []


@pytest.mark.parametrize(
    ("client_id", "message"),
    [
        (
            "1234-abc",
            "client_id must end in .apps.googleusercontent.com, got '1234-abc'; create a Desktop-app OAuth client "
            "in the Google Cloud console",
        ),
        (
            "1234 abc.apps.googleusercontent.com",
            "client_id must be non-empty without whitespace, got '1234 abc.apps.googleusercontent.com'; "
            "e.g. '1234-abc.apps.googleusercontent.com'",
        ),
    ],
    ids=["not-a-google-client", "whitespace"],
)
def test_props_refuse_bad_client_ids_with_the_value_and_the_fix(client_id: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        GoogleWorkspaceOidcClientProps(name="data-gws", prefix="gws:", client_id=client_id)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "redirect_uris",
    [
        ("https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/gws",),
        ("http://localhost:8000",),
    ],
    ids=["callback", "loopback"],
)
def test_props_refuse_a_web_client_whatever_the_redirect_uris(redirect_uris: tuple[str, ...]) -> None:
    with pytest.raises(ValueError) as error:
        GoogleWorkspaceOidcClientProps(
            name="data-gws",
            prefix="gws:",
            client_id=CLIENT_ID,
            client_type=OidcClientType.CONFIDENTIAL_WEB,
            redirect_uris=redirect_uris,
        )
    assert str(error.value) == (
        "client_type CONFIDENTIAL_WEB is not available for Google Workspace: its users are Google identities "
        "already and do not federate through a workforce pool; grant them IAM roles directly, or use "
        "PUBLIC_NATIVE for kubelogin"
    )


def test_props_refuse_refresh_tokens_saying_why() -> None:
    with pytest.raises(ValueError) as error:
        GoogleWorkspaceOidcClientProps(name="data-gws", prefix="gws:", client_id=CLIENT_ID, refresh_tokens=True)
    assert str(error.value) == (
        "refresh_tokens is not available for Google Workspace: Google issues refresh tokens only to sign-ins "
        "that ask for access_type=offline, which kubelogin does not send; leave it false (engineers sign in "
        "again in the browser when the ID token expires, after an hour)"
    )

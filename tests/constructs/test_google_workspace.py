"""GoogleWorkspaceOidcClient: nothing to create; a fixed issuer, no groups claim, and the client
secret as a sensitive Terraform variable that never holds a value in the synthesised JSON."""

from __future__ import annotations

from typing import Any

import pytest
from idp_synth import resolve, synth_idp
from terraform_hostile import ESCAPED, HOSTILE, URL_ESCAPED, URL_HOSTILE, evaluated

from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.security_rules import secrets_stay_sensitive

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


def test_every_literal_string_reaches_the_output_as_itself() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a prop is text, never an expression."""
    props = GoogleWorkspaceOidcClientProps(
        name=HOSTILE,
        prefix=HOSTILE,
        client_id=f"{HOSTILE}.apps.googleusercontent.com",
        issuer_url=f"https://accounts.google.com/{URL_HOSTILE}",
        user_claim=HOSTILE,
        scopes=("openid", HOSTILE),
        redirect_uris=(f"http://localhost:8000/{URL_HOSTILE}",),
    )
    construct, stack = synth_idp(GoogleWorkspaceOidcClient, props)
    assert evaluated(stack) == []
    assert construct.oidc_config.as_output() == {
        "client_id": f"{ESCAPED}.apps.googleusercontent.com",
        "issuer_url": f"https://accounts.google.com/{URL_ESCAPED}",
        "user_claim": ESCAPED,
        "groups_claim": None,
        "username_prefix": ESCAPED,
        "groups_prefix": ESCAPED,
        "scopes": ["openid", ESCAPED],
        "pkce_method": "S256",
        "redirect_uris": [f"http://localhost:8000/{URL_ESCAPED}"],
        "requires_client_secret": True,
    }

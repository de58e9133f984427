"""GoogleWorkspaceOidcClientProps (constructs_lib/idp/google_workspace_props.py): each refusal with the value
and the fix."""

from __future__ import annotations

import pytest
from test_google_workspace import CLIENT_ID

from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.oidc import OidcClientType
from constructs_lib.props_error import PropsError


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


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        GoogleWorkspaceOidcClientProps(
            name="data-gws", prefix="s", refresh_tokens=True, device_code=True, client_id="1234-abc"
        )
    assert [problem.field for problem in raised.value.problems] == [
        "refresh_tokens",
        "device_code",
        "prefix",
        "client_id",
    ]


def test_a_web_client_type_is_named_alone() -> None:
    # Checked first and alone: the redirect URIs are not blamed for the client type.
    with pytest.raises(PropsError) as raised:
        GoogleWorkspaceOidcClientProps(
            name="data-gws",
            prefix="gws:",
            client_type=OidcClientType.CONFIDENTIAL_WEB,
            refresh_tokens=True,
            client_id=CLIENT_ID,
        )
    assert [problem.field for problem in raised.value.problems] == ["client_type"]

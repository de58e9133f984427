"""JumpCloudOidcClient: nothing to create; a public client whose issuer keeps JumpCloud's trailing
slash (go-oidc compares issuers character for character)."""

from __future__ import annotations

from typing import Any

import pytest
from idp_synth import synth_idp

from constructs_lib.idp.jumpcloud import JumpCloudOidcClient, JumpCloudOidcClientProps

CLIENT_ID = "5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def synth_jumpcloud(**overrides: Any) -> tuple[JumpCloudOidcClient, dict[str, Any]]:
    props = JumpCloudOidcClientProps(**{"name": "data-jc", "prefix": "jc:", "client_id": CLIENT_ID, **overrides})
    return synth_idp(JumpCloudOidcClient, props)


def test_creates_nothing_and_yields_a_public_pkce_client_of_jumpclouds_issuer() -> None:
    construct, stack = synth_jumpcloud()
    assert not {"resource", "data", "provider", "variable"} & set(stack)
    assert construct.oidc_config.as_output() == {
        "client_id": CLIENT_ID,
        "issuer_url": "https://oauth.id.jumpcloud.com/",
        "user_claim": "email",
        "groups_claim": "groups",
        "username_prefix": "jc:",
        "groups_prefix": "jc:",
        "scopes": ["openid", "profile", "email", "offline_access"],
        "pkce_method": "S256",
        "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
        "requires_client_secret": False,
    }
    assert construct.client_secret is None


def test_eu_orgs_override_the_issuer() -> None:
    construct, _ = synth_jumpcloud(issuer_url="https://oauth.id.eu.jumpcloud.com/")
    assert construct.oidc_config.issuer_url == "https://oauth.id.eu.jumpcloud.com/"


@pytest.mark.parametrize(
    ("client_id", "message"),
    [
        ("", "client_id must be non-empty without whitespace, got ''; e.g. '5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'"),
        (
            "5f1e 2d3c",
            "client_id must be non-empty without whitespace, got '5f1e 2d3c'; "
            "e.g. '5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'",
        ),
    ],
    ids=["empty", "whitespace"],
)
def test_props_refuse_bad_client_ids_with_the_value_and_the_fix(client_id: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        JumpCloudOidcClientProps(name="data-jc", prefix="jc:", client_id=client_id)
    assert str(error.value) == message

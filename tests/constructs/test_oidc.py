"""The shared OidcConfig and the per-IdP defaults (DESIGN.md contract 3's table)."""

from __future__ import annotations

from constructs_lib.oidc import (
    IDP_DEFAULTS,
    IdentityProviderType,
    OidcConfig,
    redirect_uris,
    workforce_client_secret_variable,
)


def test_output_has_the_contract_fields_and_no_secret() -> None:
    config = OidcConfig(
        client_id="abc",
        issuer_url="https://oauth.id.jumpcloud.com/",
        user_claim="email",
        groups_claim=None,
        username_prefix="jc:",
        groups_prefix="jc:",
        scopes=("openid", "email"),
        redirect_uris=redirect_uris((8000, 18000)),
        requires_client_secret=False,
    )
    assert config.as_output() == {
        "client_id": "abc",
        "issuer_url": "https://oauth.id.jumpcloud.com/",
        "user_claim": "email",
        "groups_claim": None,
        "username_prefix": "jc:",
        "groups_prefix": "jc:",
        "scopes": ["openid", "email"],
        "pkce_method": "S256",
        "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
        "requires_client_secret": False,
    }


def test_defaults_follow_the_design_table() -> None:
    jumpcloud = IDP_DEFAULTS[IdentityProviderType.JUMPCLOUD]
    assert jumpcloud.issuer_url == "https://oauth.id.jumpcloud.com/"
    google = IDP_DEFAULTS[IdentityProviderType.GOOGLE_WORKSPACE]
    assert (google.groups_claim, google.requires_client_secret) == (None, True)
    assert IDP_DEFAULTS[IdentityProviderType.ENTRA_ID].user_claim == "preferred_username"
    assert IDP_DEFAULTS[IdentityProviderType.OKTA].scopes == ("openid", "profile", "email", "groups", "offline_access")


def test_workforce_secret_variable_names_work_as_tf_var() -> None:
    assert workforce_client_secret_variable("corp-jc") == "corp_jc_workforce_client_secret"

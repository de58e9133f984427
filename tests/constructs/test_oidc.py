"""The shared OidcConfig and the per-IdP defaults (DESIGN.md contract 3's table)."""

from __future__ import annotations

import dataclasses

from terraform_hostile import ESCAPED, HOSTILE

from constructs_lib.oidc import (
    IDP_DEFAULTS,
    OFFLINE_ACCESS_SCOPE,
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
    assert IDP_DEFAULTS[IdentityProviderType.OKTA].scopes == ("openid", "profile", "email", "groups")
    # No refresh tokens unless an IdP opts in (DESIGN.md contract 3, "Refresh tokens").
    assert all(OFFLINE_ACCESS_SCOPE not in defaults.scopes for defaults in IDP_DEFAULTS.values())


def test_workforce_secret_variable_names_work_as_tf_var() -> None:
    assert workforce_client_secret_variable("corp-jc") == "corp_jc_workforce_client_secret"


def test_the_output_writes_every_string_as_terraform_must_read_it_and_keeps_tokens() -> None:
    """`as_output()` goes into a `TerraformOutput` as it is: `${…}`/`%{…}` in a value is text, never an
    expression; the `OidcConfig` itself keeps the values as given."""
    token = "${TfToken[TOKEN.7]}"
    config = OidcConfig(
        client_id=f"{HOSTILE}{token}",
        issuer_url=f"https://{HOSTILE}/",
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
        username_prefix=HOSTILE,
        groups_prefix=HOSTILE,
        scopes=("openid", HOSTILE),
        redirect_uris=(f"http://localhost:8000/{HOSTILE}",),
        requires_client_secret=False,
    )
    assert config.as_output() == {
        "client_id": f"{ESCAPED}{token}",
        "issuer_url": f"https://{ESCAPED}/",
        "user_claim": ESCAPED,
        "groups_claim": ESCAPED,
        "username_prefix": ESCAPED,
        "groups_prefix": ESCAPED,
        "scopes": ["openid", ESCAPED],
        "pkce_method": "S256",
        "redirect_uris": [f"http://localhost:8000/{ESCAPED}"],
        "requires_client_secret": False,
    }
    assert config.user_claim == HOSTILE


def test_the_output_carries_the_issuers_ca_only_when_it_has_one() -> None:
    """Contract 4: `certificate_authority_data` only for an issuer with a private CA; the outputs of every
    other IdP keep their shape (no null key)."""
    config = OidcConfig(
        client_id="kubernetes",
        issuer_url="https://sso.acme.internal/realms/eng",
        user_claim="email",
        groups_claim="groups",
        username_prefix="sso:",
        groups_prefix="sso:",
        scopes=("openid",),
        redirect_uris=("http://localhost:8000",),
        requires_client_secret=False,
    )
    assert "certificate_authority_data" not in config.as_output()
    with_ca = dataclasses.replace(config, certificate_authority_data="TFMwdExTMUNSVWRKVGc9PQ==")
    output = with_ca.as_output()
    assert output["certificate_authority_data"] == "TFMwdExTMUNSVWRKVGc9PQ=="
    assert list(output)[-1] == "certificate_authority_data"
    assert {key: value for key, value in output.items() if key != "certificate_authority_data"} == config.as_output()


def test_the_oidc_type_follows_the_design_table() -> None:
    """DESIGN.md contract 3, the `oidc` row: issuer required as given, email, groups, no secret."""
    defaults = IDP_DEFAULTS[IdentityProviderType.OIDC]
    assert IdentityProviderType.OIDC.value == "oidc"
    assert (defaults.issuer_url, defaults.user_claim, defaults.groups_claim) == (None, "email", "groups")
    assert (defaults.scopes, defaults.requires_client_secret) == (("openid", "profile", "email"), False)

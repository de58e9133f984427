"""Props shared by every IdP construct: eager validation with exact messages, and how overrides and
defaults combine into the `OidcConfig`."""

from __future__ import annotations

import pytest
from test_base_props import CALLBACK, props, web_props

from constructs_lib.idp.base import build_oidc_config
from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType, OidcConfig


def test_overrides_win_over_the_computed_issuer_and_the_type_defaults() -> None:
    overridden = props(
        issuer_url="https://sts.windows.net/tenant/",
        user_claim="upn",
        groups_claim="roles",
        scopes=("openid", "email"),
        redirect_uris=("http://localhost:9000",),
    )
    config = build_oidc_config(
        overridden,
        IdentityProviderType.ENTRA_ID,
        client_id="client",
        computed_issuer_url="https://login.microsoftonline.com/tenant/v2.0",
    )
    assert config == OidcConfig(
        client_id="client",
        issuer_url="https://sts.windows.net/tenant/",
        user_claim="upn",
        groups_claim="roles",
        username_prefix="okta:",
        groups_prefix="okta:",
        scopes=("openid", "email"),
        redirect_uris=("http://localhost:9000",),
        requires_client_secret=False,
    )


def test_the_computed_issuer_wins_over_none_and_defaults_fill_the_rest() -> None:
    config = build_oidc_config(
        props(), IdentityProviderType.OKTA, client_id="client", computed_issuer_url="https://acme.okta.com/oauth2/aus1"
    )
    okta = IDP_DEFAULTS[IdentityProviderType.OKTA]
    assert (config.issuer_url, config.user_claim, config.groups_claim, config.scopes) == (
        "https://acme.okta.com/oauth2/aus1",
        okta.user_claim,
        okta.groups_claim,
        okta.scopes,
    )
    assert config.redirect_uris == ("http://localhost:8000", "http://localhost:18000")
    assert config.pkce_method.value == "S256"


def test_a_type_without_a_fixed_issuer_needs_one() -> None:
    with pytest.raises(ValueError) as error:
        build_oidc_config(props(), IdentityProviderType.ENTRA_ID, client_id="client")
    assert str(error.value) == "entra_id: no issuer_url given and none computed; set issuer_url"


def test_idp_defaults_follow_the_design_table() -> None:
    """DESIGN.md contract 3: the table of IdP defaults."""
    table = {
        kind.value: (d.issuer_url, d.user_claim, d.groups_claim, " ".join(d.scopes), d.requires_client_secret)
        for kind, d in IDP_DEFAULTS.items()
    }
    assert table == {
        "okta": (None, "email", "groups", "openid profile email groups", False),
        "entra_id": (None, "preferred_username", "groups", "openid profile email", False),
        "google_workspace": (
            "https://accounts.google.com",
            "email",
            None,
            "openid https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email",
            True,
        ),
        "jumpcloud": (
            "https://oauth.id.jumpcloud.com/",
            "email",
            "groups",
            "openid profile email",
            False,
        ),
        "oidc": (None, "email", "groups", "openid profile email", False),
    }


def test_a_web_clients_oidc_config_needs_the_secret_and_redirects_to_the_callback() -> None:
    config = build_oidc_config(
        web_props(), IdentityProviderType.OKTA, client_id="client", computed_issuer_url="https://acme.okta.com/oauth2/a"
    )
    assert config.requires_client_secret is True
    assert config.redirect_uris == (CALLBACK,)
    assert config.pkce_method.value == "S256"
    assert (config.issuer_url, config.user_claim, config.groups_claim) == (
        "https://acme.okta.com/oauth2/a",
        "email",
        "groups",
    )
    assert web_props().default_display_name == "k8s-oidc prod-okta (Google workforce)"

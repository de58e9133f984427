"""An IdP's settings: each one the override, else the type's default; the issuer computed by a construct
between the two."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from constructs_lib.idp.settings import IdpSettings, requested_scopes, resolved_settings
from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType, OidcClientType


@dataclass(frozen=True, kw_only=True)
class Given:
    issuer_url: str | None = None
    user_claim: str | None = None
    groups_claim: str | None = None
    scopes: tuple[str, ...] | None = None
    refresh_tokens: bool = False


NOTHING = Given()


@pytest.mark.parametrize("idp_type", list(IdentityProviderType))
def test_nothing_given_is_the_types_defaults(idp_type: IdentityProviderType) -> None:
    defaults = IDP_DEFAULTS[idp_type]
    assert resolved_settings(idp_type, NOTHING) == IdpSettings(
        issuer_url=defaults.issuer_url,
        user_claim=defaults.user_claim,
        groups_claim=defaults.groups_claim,
        scopes=defaults.scopes,
        requires_client_secret=defaults.requires_client_secret,
    )


def test_every_override_wins_over_the_default() -> None:
    given = Given(issuer_url="https://accounts.example.com", user_claim="sub", groups_claim="roles", scopes=("openid",))
    settings = resolved_settings(IdentityProviderType.GOOGLE_WORKSPACE, given)
    assert (settings.issuer_url, settings.user_claim, settings.groups_claim, settings.scopes) == (
        "https://accounts.example.com",
        "sub",
        "roles",
        ("openid",),
    )


def test_the_issuer_given_wins_over_the_computed_one_which_wins_over_the_types() -> None:
    computed = "https://acme.okta.com/oauth2/aus1"
    okta = IdentityProviderType.OKTA
    assert resolved_settings(okta, NOTHING).issuer_url is None
    assert resolved_settings(okta, NOTHING, computed_issuer_url=computed).issuer_url == computed
    given = Given(issuer_url="https://acme.okta.com/oauth2/default")
    assert resolved_settings(okta, given, computed_issuer_url=computed).issuer_url == given.issuer_url
    jumpcloud = IdentityProviderType.JUMPCLOUD
    assert resolved_settings(jumpcloud, NOTHING, computed_issuer_url=computed).issuer_url == computed


def test_a_confidential_web_client_needs_a_secret_whatever_its_type() -> None:
    web = OidcClientType.CONFIDENTIAL_WEB
    assert all(
        resolved_settings(kind, NOTHING, client_type=web).requires_client_secret for kind in IdentityProviderType
    )
    assert [resolved_settings(kind, NOTHING).requires_client_secret for kind in IdentityProviderType] == [
        IDP_DEFAULTS[kind].requires_client_secret for kind in IdentityProviderType
    ]


def test_refresh_tokens_add_offline_access_to_the_defaults_and_to_given_scopes() -> None:
    entra = IdentityProviderType.ENTRA_ID
    refresh = Given(refresh_tokens=True)
    assert resolved_settings(entra, refresh).scopes == ("openid", "profile", "email", "offline_access")
    assert resolved_settings(entra, Given(scopes=("openid",), refresh_tokens=True)).scopes == (
        "openid",
        "offline_access",
    )


@pytest.mark.parametrize(
    ("scopes", "refresh_tokens", "expected"),
    [
        (None, False, ("openid", "profile", "email")),
        (None, True, ("openid", "profile", "email", "offline_access")),
        (("openid", "email"), True, ("openid", "email", "offline_access")),
        (("openid", "offline_access"), True, ("openid", "offline_access")),
        (("openid", "email"), False, ("openid", "email")),
    ],
)
def test_requested_scopes_add_offline_access_only_for_refresh_tokens(
    scopes: tuple[str, ...] | None, refresh_tokens: bool, expected: tuple[str, ...]
) -> None:
    assert requested_scopes(IdentityProviderType.ENTRA_ID, scopes, refresh_tokens=refresh_tokens) == expected

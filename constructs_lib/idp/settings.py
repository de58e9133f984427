"""An identity provider's settings as clusters and kubelogin use them: each one the override, else the IdP
type's default (`IDP_DEFAULTS`).

The one home of that rule, cdktf-free: the IdP constructs build their `OidcConfig` with it (`build_oidc_config`),
and the config model, its checks and `doctor` resolve a configured IdP's settings with it before anything is
deployed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from constructs_lib.oidc import IDP_DEFAULTS, OFFLINE_ACCESS_SCOPE, IdentityProviderType, OidcClientType, OidcConfig

if TYPE_CHECKING:
    from constructs_lib.idp.base_props import IdentityProviderProps


@dataclass(frozen=True, kw_only=True)
class IdpSettings:
    """What a cluster checks in an IdP's tokens and what kubelogin asks the IdP for."""

    issuer_url: str | None
    """None: neither given nor fixed for the type; the construct computes it (Okta's created authorization
    server, the Entra tenant), known after deploy."""
    user_claim: str
    groups_claim: str | None
    """None: the IdP's ID tokens carry no groups claim (Google Workspace)."""
    scopes: tuple[str, ...]
    requires_client_secret: bool
    """The client needs a secret: the type's (Google Workspace's Desktop-app client) or a confidential web client."""


class Overrides(Protocol):
    """An IdP's settings as given: None (False) where not given. The IdP props are such, and so is a config entry."""

    @property
    def issuer_url(self) -> str | None: ...
    @property
    def user_claim(self) -> str | None: ...
    @property
    def groups_claim(self) -> str | None: ...
    @property
    def scopes(self) -> Sequence[str] | None: ...
    @property
    def refresh_tokens(self) -> bool: ...


def resolved_settings(
    idp_type: IdentityProviderType,
    overrides: Overrides,
    *,
    client_type: OidcClientType = OidcClientType.PUBLIC_NATIVE,
    computed_issuer_url: str | None = None,
) -> IdpSettings:
    """The `overrides` given, else the type's defaults, for a client of `client_type`. The issuer: the given one,
    else the one the construct computed (`computed_issuer_url`), else the type's fixed issuer."""
    defaults = IDP_DEFAULTS[idp_type]
    scopes = tuple(overrides.scopes) if overrides.scopes is not None else None
    return IdpSettings(
        issuer_url=overrides.issuer_url or computed_issuer_url or defaults.issuer_url,
        user_claim=overrides.user_claim if overrides.user_claim is not None else defaults.user_claim,
        groups_claim=overrides.groups_claim if overrides.groups_claim is not None else defaults.groups_claim,
        scopes=requested_scopes(idp_type, scopes, refresh_tokens=overrides.refresh_tokens),
        requires_client_secret=defaults.requires_client_secret or client_type is OidcClientType.CONFIDENTIAL_WEB,
    )


def requested_scopes(
    idp_type: IdentityProviderType, scopes: tuple[str, ...] | None, *, refresh_tokens: bool
) -> tuple[str, ...]:
    """The scopes kubelogin asks for: the given ones (None: the type's defaults), and `offline_access`
    when the IdP opts in to refresh tokens. Without them an engineer signs in again in the browser when
    the ID token expires (the IdP's session usually makes that one click) and no long-lived token is
    cached on their disk."""
    chosen = scopes if scopes is not None else IDP_DEFAULTS[idp_type].scopes
    if refresh_tokens and OFFLINE_ACCESS_SCOPE not in chosen:
        return (*chosen, OFFLINE_ACCESS_SCOPE)
    return chosen


def build_oidc_config(
    props: IdentityProviderProps,
    idp_type: IdentityProviderType,
    *,
    client_id: str,
    computed_issuer_url: str | None = None,
    certificate_authority_data: str | None = None,
) -> OidcConfig:
    """The type's defaults under the props' overrides (`resolved_settings`). `computed_issuer_url`: the issuer
    the construct knows (Okta server, Entra tenant); the props' `issuer_url` still wins over it.
    `certificate_authority_data`: the issuer's private CA (base64 PEM), default none (publicly trusted)."""
    settings = resolved_settings(
        idp_type, props, client_type=props.client_type, computed_issuer_url=computed_issuer_url
    )
    if settings.issuer_url is None:
        raise ValueError(f"{idp_type.value}: no issuer_url given and none computed; set issuer_url")
    return OidcConfig(
        client_id=client_id,
        issuer_url=settings.issuer_url,
        user_claim=settings.user_claim,
        groups_claim=settings.groups_claim,
        username_prefix=props.prefix,
        groups_prefix=props.prefix,
        scopes=settings.scopes,
        redirect_uris=props.redirect_uris,
        requires_client_secret=settings.requires_client_secret,
        certificate_authority_data=certificate_authority_data,
    )

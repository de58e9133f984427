"""What every identity-provider construct shares: its props and how it builds its `OidcConfig`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from constructs_lib.oidc import (
    DEFAULT_REDIRECT_PORTS,
    IDP_DEFAULTS,
    IdentityProviderType,
    OidcConfig,
    redirect_uris,
)


@dataclass(frozen=True, kw_only=True)
class IdentityProviderProps:
    """Settings common to every IdP construct. `None` means the IdP type's default (`IDP_DEFAULTS`)."""

    name: str
    """Names what the construct creates (app label, authorization server); e.g. the stack name."""
    prefix: str
    """Username and groups prefix Kubernetes puts before every subject (e.g. `okta:`)."""
    redirect_uris: tuple[str, ...] = redirect_uris(DEFAULT_REDIRECT_PORTS)
    """kubelogin's loopback redirect URIs; default http://localhost:8000 and :18000."""
    issuer_url: str | None = None
    """Default: the IdP's own issuer (fixed, or computed by the construct)."""
    user_claim: str | None = None
    groups_claim: str | None = None
    scopes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.prefix or any(ch.isspace() for ch in self.prefix):
            raise ValueError(f"prefix must be non-empty without whitespace, got {self.prefix!r}; e.g. 'okta:'")
        if not self.redirect_uris:
            raise ValueError("redirect_uris must not be empty: kubelogin needs a loopback redirect URI")
        if self.issuer_url is not None and not self.issuer_url.startswith("https://"):
            raise ValueError(f"issuer_url must be an https:// URL, got {self.issuer_url!r}")


class OidcIdentityProvider(Protocol):
    """What cluster constructs and stacks need from an IdP construct."""

    @property
    def oidc_config(self) -> OidcConfig: ...

    @property
    def client_secret(self) -> str | None:
        """A (sensitive) token for the client secret, or None: public client, no secret."""
        ...


def build_oidc_config(
    props: IdentityProviderProps,
    idp_type: IdentityProviderType,
    *,
    client_id: str,
    issuer_url: str | None = None,
) -> OidcConfig:
    """Apply the type's defaults under the props' overrides; `issuer_url` is the computed issuer."""
    defaults = IDP_DEFAULTS[idp_type]
    issuer = props.issuer_url or issuer_url or defaults.issuer_url
    if issuer is None:
        raise ValueError(f"{idp_type.value}: no issuer_url given and none computed")
    return OidcConfig(
        client_id=client_id,
        issuer_url=issuer,
        user_claim=props.user_claim or defaults.user_claim,
        groups_claim=props.groups_claim or defaults.groups_claim,
        username_prefix=props.prefix,
        groups_prefix=props.prefix,
        scopes=props.scopes or defaults.scopes,
        redirect_uris=props.redirect_uris,
        requires_client_secret=defaults.requires_client_secret,
    )

"""What every identity-provider construct shares: the `OidcIdentityProvider` protocol, how it builds its
`OidcConfig`, and its client-secret variable. The props live in `base_props` (cdktf-free)."""

from __future__ import annotations

from typing import Protocol

from cdktf import TerraformVariable
from constructs import Construct

from constructs_lib.idp.base_props import IdentityProviderProps
from constructs_lib.idp.settings import resolved_settings
from constructs_lib.oidc import IdentityProviderType, OidcConfig


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
    computed_issuer_url: str | None = None,
) -> OidcConfig:
    """The type's defaults under the props' overrides (`settings`). `computed_issuer_url`: the issuer the
    construct knows (Okta server, Entra tenant); the props' `issuer_url` still wins over it."""
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
    )


def declare_client_secret_variable(scope: Construct, *, name: str, description: str) -> str:
    """A required sensitive string variable for a client secret made outside Terraform, under a
    stable, documented name (users set `TF_VAR_<name>`) instead of cdktf's hashed one; its token."""
    variable = TerraformVariable(
        scope, "client_secret", type="string", sensitive=True, nullable=False, description=description
    )
    variable.override_logical_id(name)
    return variable.string_value

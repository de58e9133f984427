"""The stacks' table of IdP types: each type's construct and provider block. From a config entry to an IdP
construct: kubelogin's public client of a pair stack, or the web client a Google workforce pool signs in with.

Constructs and provider bindings are imported on use: a config that never names Okta must not load the Okta
bindings (see `constructs_lib.provider_loading`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from constructs import Construct

from constructs_lib.idp.base import OidcIdentityProvider
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.idp.generic_oidc_props import GenericOidcClientProps
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.oidc import IdentityProviderType, OidcClientType
from stacks.config import Config
from stacks.config.identity_providers.base import Client

CONSTRUCT_ID = "identity_provider"


@dataclass(frozen=True, kw_only=True)
class IdentityProviderStacks:
    """What an IdP type puts in the stacks that make its clients."""

    construct: Callable[[Construct, str, Any], OidcIdentityProvider]
    """Makes the type's construct (scope, id, the props its config entry builds)."""
    provider: Callable[[Construct], None]
    """Adds the provider block of what the construct creates (none where it creates nothing)."""


def _okta_app(scope: Construct, construct_id: str, props: OktaOidcAppProps) -> OidcIdentityProvider:
    from constructs_lib.idp.okta import OktaOidcApp

    return OktaOidcApp(scope, construct_id, props=props)


def _okta_provider(scope: Construct) -> None:
    """Credentials from OKTA_ORG_NAME, OKTA_BASE_URL, OKTA_API_TOKEN."""
    from cdktf_cdktf_provider_okta.provider import OktaProvider

    OktaProvider(scope, "okta")


def _entra_id_app(scope: Construct, construct_id: str, props: EntraIdOidcAppProps) -> OidcIdentityProvider:
    from constructs_lib.idp.entra_id import EntraIdOidcApp

    return EntraIdOidcApp(scope, construct_id, props=props)


def _azuread_provider(scope: Construct) -> None:
    """Credentials from `az login` or ARM_* variables."""
    from cdktf_cdktf_provider_azuread.provider import AzureadProvider

    AzureadProvider(scope, "azuread")


def _google_workspace_client(
    scope: Construct, construct_id: str, props: GoogleWorkspaceOidcClientProps
) -> OidcIdentityProvider:
    from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient

    # The props refuse CONFIDENTIAL_WEB (Google Workspace users don't federate).
    return GoogleWorkspaceOidcClient(scope, construct_id, props=props)


def _jumpcloud_client(scope: Construct, construct_id: str, props: JumpCloudOidcClientProps) -> OidcIdentityProvider:
    from constructs_lib.idp.jumpcloud import JumpCloudOidcClient

    return JumpCloudOidcClient(scope, construct_id, props=props)


def _generic_oidc_client(scope: Construct, construct_id: str, props: GenericOidcClientProps) -> OidcIdentityProvider:
    from constructs_lib.idp.generic_oidc import GenericOidcClient

    return GenericOidcClient(scope, construct_id, props=props)


def _no_provider(scope: Construct) -> None:
    """The type's clients are made in its console: nothing for Terraform to create."""


IDENTITY_PROVIDER_STACKS: dict[IdentityProviderType, IdentityProviderStacks] = {
    IdentityProviderType.OKTA: IdentityProviderStacks(construct=_okta_app, provider=_okta_provider),
    IdentityProviderType.ENTRA_ID: IdentityProviderStacks(construct=_entra_id_app, provider=_azuread_provider),
    IdentityProviderType.GOOGLE_WORKSPACE: IdentityProviderStacks(
        construct=_google_workspace_client, provider=_no_provider
    ),
    IdentityProviderType.JUMPCLOUD: IdentityProviderStacks(construct=_jumpcloud_client, provider=_no_provider),
    IdentityProviderType.OIDC: IdentityProviderStacks(construct=_generic_oidc_client, provider=_no_provider),
}


def identity_provider_provider(scope: Construct, idp_type: IdentityProviderType) -> None:
    """The provider block of what an IdP construct of `idp_type` creates (none for the clients made by hand in a
    console: Google Workspace, JumpCloud, any other OpenID provider)."""
    IDENTITY_PROVIDER_STACKS[idp_type].provider(scope)


def build_identity_provider(scope: Construct, config: Config, idp_name: str, name: str) -> OidcIdentityProvider:
    """kubelogin's public client, redirecting to the config's loopback ports; `name` names what it creates
    (`k8s-oidc <name>`): the pair stack's name, or for a shared application the IdP's."""
    return _build(
        scope,
        CONSTRUCT_ID,
        config,
        idp_name,
        name=name,
        client_type=OidcClientType.PUBLIC_NATIVE,
        redirect_uris=config.redirect_uris,
    )


def build_workforce_client(scope: Construct, config: Config, idp_name: str, *, callback: str) -> OidcIdentityProvider:
    """The confidential web client of `idp_name` that a Google workforce pool provider signs in with;
    `callback` is that provider's sign-in callback. Construct id `workforce_client <idp>`, one per IdP in
    the pool's stack; named after the IdP (Okta/Entra: `k8s-oidc <idp> (Google workforce)`; JumpCloud:
    the `workforce_client_id` app, its secret the variable `workforce_client_secret_variable(idp)`).
    Google Workspace raises: its users don't federate."""
    return _build(
        scope,
        f"workforce_client {idp_name}",
        config,
        idp_name,
        name=idp_name,
        client_type=OidcClientType.CONFIDENTIAL_WEB,
        redirect_uris=(callback,),
    )


def _build(
    scope: Construct,
    construct_id: str,
    config: Config,
    idp_name: str,
    *,
    name: str,
    client_type: OidcClientType,
    redirect_uris: tuple[str, ...],
) -> OidcIdentityProvider:
    idp = config.identity_providers[idp_name]
    client = Client(name=name, prefix=config.prefix(idp_name), client_type=client_type, redirect_uris=redirect_uris)
    return IDENTITY_PROVIDER_STACKS[idp.idp_type].construct(scope, construct_id, idp.props(client))

"""From a config entry to an IdP construct: kubelogin's public client of a pair stack, or the web client a
Google workforce pool signs in with (imports per type: see providers.py)."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.idp.base import OidcIdentityProvider
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.oidc import OidcClientType
from stacks.config import Config
from stacks.config.props import identity_provider_props

CONSTRUCT_ID = "identity_provider"


def build_identity_provider(scope: Construct, config: Config, idp_name: str, stack_name: str) -> OidcIdentityProvider:
    """kubelogin's public client for the pair stack `stack_name`, redirecting to the config's loopback ports."""
    return _build(
        scope,
        CONSTRUCT_ID,
        config,
        idp_name,
        name=stack_name,
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
    props = identity_provider_props(
        config.identity_providers[idp_name],
        name=name,
        prefix=config.prefix(idp_name),
        client_type=client_type,
        redirect_uris=redirect_uris,
    )
    if isinstance(props, OktaOidcAppProps):
        from constructs_lib.idp.okta import OktaOidcApp

        return OktaOidcApp(scope, construct_id, props=props)
    if isinstance(props, EntraIdOidcAppProps):
        from constructs_lib.idp.entra_id import EntraIdOidcApp

        return EntraIdOidcApp(scope, construct_id, props=props)
    if isinstance(props, GoogleWorkspaceOidcClientProps):
        from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient

        # The props refuse CONFIDENTIAL_WEB (Google Workspace users don't federate).
        return GoogleWorkspaceOidcClient(scope, construct_id, props=props)
    if isinstance(props, JumpCloudOidcClientProps):
        from constructs_lib.idp.jumpcloud import JumpCloudOidcClient

        return JumpCloudOidcClient(scope, construct_id, props=props)
    raise AssertionError(f"unhandled identity provider props {type(props).__name__}")

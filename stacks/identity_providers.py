"""From a config entry to an IdP construct: kubelogin's public client of a pair stack, or the web client a
Google workforce pool signs in with (imports per type: see providers.py)."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.idp.base import OidcIdentityProvider
from constructs_lib.oidc import OidcClientType
from stacks.config import Config, EntraIdIdp, GoogleWorkspaceIdp, JumpCloudIdp, OktaIdp

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
    idp = config.identity_providers[idp_name]
    web = client_type is OidcClientType.CONFIDENTIAL_WEB
    common = {
        "name": name,
        "prefix": config.prefix(idp_name),
        "client_type": client_type,
        "redirect_uris": redirect_uris,
        "issuer_url": idp.issuer_url,
        "user_claim": idp.user_claim,
        "groups_claim": idp.groups_claim,
        "scopes": tuple(idp.scopes) if idp.scopes else None,
        # Google's web sign-in keeps no refresh token: only kubelogin's client can use one.
        "refresh_tokens": idp.refresh_tokens and not web,
    }
    if isinstance(idp, OktaIdp):
        from constructs_lib.idp.okta import OktaOidcApp, OktaOidcAppProps

        return OktaOidcApp(
            scope,
            construct_id,
            props=OktaOidcAppProps(
                **common,  # type: ignore[arg-type]
                # The config's label names the kubelogin app; the web client keeps its own default so
                # the Okta console tells the two apart.
                app_label=None if web else idp.app_label,
                authorization_server_id=idp.authorization_server_id,
                group_filter_regex=idp.group_filter_regex,
            ),
        )
    if isinstance(idp, EntraIdIdp):
        from constructs_lib.idp.entra_id import EntraIdOidcApp, EntraIdOidcAppProps

        return EntraIdOidcApp(
            scope,
            construct_id,
            props=EntraIdOidcAppProps(**common, security_groups=tuple(idp.security_groups)),  # type: ignore[arg-type]
        )
    if isinstance(idp, GoogleWorkspaceIdp):
        from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient, GoogleWorkspaceOidcClientProps

        # The props refuse CONFIDENTIAL_WEB (Google Workspace users don't federate).
        return GoogleWorkspaceOidcClient(
            scope,
            construct_id,
            props=GoogleWorkspaceOidcClientProps(**common, client_id=idp.client_id),  # type: ignore[arg-type]
        )
    if isinstance(idp, JumpCloudIdp):
        from constructs_lib.idp.jumpcloud import JumpCloudOidcClient, JumpCloudOidcClientProps

        client_id = idp.workforce_client_id if web else idp.client_id
        assert client_id is not None, "the config model requires workforce_client_id for workforce clusters"
        return JumpCloudOidcClient(
            scope,
            construct_id,
            props=JumpCloudOidcClientProps(**common, client_id=client_id),  # type: ignore[arg-type]
        )
    raise AssertionError(f"unhandled identity provider type {idp.type}")

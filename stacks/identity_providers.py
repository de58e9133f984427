"""From a config entry to the IdP construct of a pair stack (imports per type: see providers.py)."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.idp.base import OidcIdentityProvider
from stacks.config import Config, EntraIdIdp, GoogleWorkspaceIdp, JumpCloudIdp, OktaIdp

CONSTRUCT_ID = "identity_provider"


def build_identity_provider(scope: Construct, config: Config, idp_name: str, stack_name: str) -> OidcIdentityProvider:
    idp = config.identity_providers[idp_name]
    common = {
        "name": stack_name,
        "prefix": config.prefix(idp_name),
        "redirect_uris": config.redirect_uris,
        "issuer_url": idp.issuer_url,
        "user_claim": idp.user_claim,
        "groups_claim": idp.groups_claim,
        "scopes": tuple(idp.scopes) if idp.scopes else None,
    }
    if isinstance(idp, OktaIdp):
        from constructs_lib.idp.okta import OktaOidcApp, OktaOidcAppProps

        return OktaOidcApp(
            scope,
            CONSTRUCT_ID,
            props=OktaOidcAppProps(
                **common,  # type: ignore[arg-type]
                app_label=idp.app_label,
                authorization_server_id=idp.authorization_server_id,
                group_filter_regex=idp.group_filter_regex,
            ),
        )
    if isinstance(idp, EntraIdIdp):
        from constructs_lib.idp.entra_id import EntraIdOidcApp, EntraIdOidcAppProps

        return EntraIdOidcApp(
            scope,
            CONSTRUCT_ID,
            props=EntraIdOidcAppProps(**common, security_groups=tuple(idp.security_groups)),  # type: ignore[arg-type]
        )
    if isinstance(idp, GoogleWorkspaceIdp):
        from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient, GoogleWorkspaceOidcClientProps

        return GoogleWorkspaceOidcClient(
            scope,
            CONSTRUCT_ID,
            props=GoogleWorkspaceOidcClientProps(**common, client_id=idp.client_id),  # type: ignore[arg-type]
        )
    if isinstance(idp, JumpCloudIdp):
        from constructs_lib.idp.jumpcloud import JumpCloudOidcClient, JumpCloudOidcClientProps

        return JumpCloudOidcClient(
            scope,
            CONSTRUCT_ID,
            props=JumpCloudOidcClientProps(**common, client_id=idp.client_id),  # type: ignore[arg-type]
        )
    raise AssertionError(f"unhandled identity provider type {idp.type}")

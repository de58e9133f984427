"""The `workforce-pool` stack: the Google workforce pool, and per IdP used by a
`workforce_identity` cluster a confidential web client at the IdP plus the pool provider trusting it.
Secrets flow from the IdP resource (or a sensitive variable) to Google inside Terraform only."""

from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from constructs_lib.workforce.oidc_provider import WorkforcePoolOidcProvider, WorkforcePoolOidcProviderProps
from constructs_lib.workforce.pool import WorkforcePool
from constructs_lib.workforce.principals import provider_id_for, signin_callback
from stacks.config import Config
from stacks.identity_providers import build_workforce_client, identity_provider_provider

SCOPES_GOOGLE_HANDLES = frozenset({"openid", "profile", "email", "offline_access"})
"""Google's web sign-in asks for openid, profile and email itself and keeps no refresh token; any
other scope of the IdP (Okta's `groups`) must be requested explicitly."""


class WorkforcePoolStack(TerraformStack):
    def __init__(self, scope: Construct, stack_name: str, *, config: Config) -> None:
        super().__init__(scope, stack_name)
        settings = config.workforce_pool
        assert settings is not None, "the config model requires google_workforce_pool for workforce clusters"
        from cdktf_cdktf_provider_google.provider import GoogleProvider

        # Workforce pools are organization resources: no project, no region.
        GoogleProvider(self, "google")
        pool = WorkforcePool(
            self,
            "pool",
            props=settings.props(),
        )
        for idp_name in config.workforce_identity_providers:
            identity_provider_provider(self, config.identity_providers[idp_name].idp_type)
            provider_id = provider_id_for(idp_name)
            client = build_workforce_client(
                self, config, idp_name, callback=signin_callback(settings.pool_id, provider_id)
            )
            oidc = client.oidc_config
            assert client.client_secret is not None, "workforce clients are confidential"
            WorkforcePoolOidcProvider(
                self,
                f"provider {idp_name}",
                props=WorkforcePoolOidcProviderProps(
                    pool=pool,
                    provider_id=provider_id,
                    issuer_url=oidc.issuer_url,
                    client_id=oidc.client_id,
                    client_secret=client.client_secret,
                    user_claim=oidc.user_claim,
                    groups_claim=oidc.groups_claim,
                    additional_scopes=tuple(scope for scope in oidc.scopes if scope not in SCOPES_GOOGLE_HANDLES),
                ),
            )

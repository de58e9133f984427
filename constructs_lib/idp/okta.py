"""An Okta OIDC application for kubelogin: a native public client with PKCE and no secret, and the
custom authorization server (or a policy on an existing one) that issues its tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cdktf_cdktf_provider_okta.app_oauth import AppOauth
from cdktf_cdktf_provider_okta.auth_server import AuthServer
from cdktf_cdktf_provider_okta.auth_server_claim import AuthServerClaim
from cdktf_cdktf_provider_okta.auth_server_policy import AuthServerPolicy
from cdktf_cdktf_provider_okta.auth_server_policy_rule import AuthServerPolicyRule
from cdktf_cdktf_provider_okta.auth_server_scope import AuthServerScope
from constructs import Construct

from constructs_lib.idp.base import IdentityProviderProps, build_oidc_config
from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType, OidcConfig

GROUPS_SCOPE = "groups"


@dataclass(frozen=True, kw_only=True)
class OktaOidcAppProps(IdentityProviderProps):
    app_label: str | None = None
    """Label shown in the Okta console; default `k8s-oidc <name>`."""
    authorization_server_id: str | None = None
    """Reuse this custom authorization server (it must already have a `groups` scope and claim);
    default: create one for this app. Requires `issuer_url` (the server's Issuer URI)."""
    group_filter_regex: str = ".*"
    """Only groups matching this regex go into the `groups` claim; default: all of the user's groups."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.authorization_server_id is not None:
            if self.issuer_url is None:
                raise ValueError(
                    "authorization_server_id needs issuer_url: copy the server's Issuer URI from the Okta "
                    "console (Okta's data source finds servers by name only)"
                )
            if not self.issuer_url.endswith(f"/oauth2/{self.authorization_server_id}"):
                raise ValueError(f"issuer_url {self.issuer_url!r} must end in /oauth2/{self.authorization_server_id}")
        try:
            re.compile(self.group_filter_regex)
        except re.error as error:
            raise ValueError(f"group_filter_regex {self.group_filter_regex!r} is not a regex: {error}") from None


class OktaOidcApp(Construct):
    """`okta_app_oauth` (native, auth method none, PKCE required, authorization code only) plus the
    authorization server, `groups` scope and claim, and an access policy admitting only this app."""

    def __init__(self, scope: Construct, id_: str, *, props: OktaOidcAppProps) -> None:
        super().__init__(scope, id_)
        defaults = IDP_DEFAULTS[IdentityProviderType.OKTA]
        scopes = props.scopes or defaults.scopes
        self.app = AppOauth(
            self,
            "app",
            label=props.app_label or f"k8s-oidc {props.name}",
            type="native",
            token_endpoint_auth_method="none",  # noqa: S106 - public client: no secret at all
            pkce_required=True,
            omit_secret=True,
            grant_types=["authorization_code"],
            response_types=["code"],
            redirect_uris=list(props.redirect_uris),
            post_logout_redirect_uris=list(props.redirect_uris),
        )

        if props.authorization_server_id is None:
            server = AuthServer(
                self,
                "authorization_server",
                name=f"k8s-oidc {props.name}",
                description="Issues ID tokens for kubectl (kubelogin) sign-in to Kubernetes",
                audiences=[f"api://k8s-oidc/{props.name}"],
            )
            server_id, issuer = server.id, server.issuer
            AuthServerScope(
                self,
                "groups_scope",
                auth_server_id=server_id,
                name=GROUPS_SCOPE,
                consent="IMPLICIT",
                metadata_publish="ALL_CLIENTS",
            )
            AuthServerClaim(
                self,
                "groups_claim",
                auth_server_id=server_id,
                name=props.groups_claim or defaults.groups_claim or GROUPS_SCOPE,
                claim_type="IDENTITY",
                value_type="GROUPS",
                group_filter_type="REGEX",
                value=props.group_filter_regex,
                always_include_in_token=True,
                scopes=[GROUPS_SCOPE],
            )
        else:
            # Props validation guarantees the issuer of a reused server.
            server_id, issuer = props.authorization_server_id, str(props.issuer_url)

        policy = AuthServerPolicy(
            self,
            "policy",
            auth_server_id=server_id,
            name=f"k8s-oidc {props.name}",
            description="Only the kubectl (kubelogin) app of this cluster",
            priority=1,
            client_whitelist=[self.app.client_id],
        )
        AuthServerPolicyRule(
            self,
            "policy_rule",
            auth_server_id=server_id,
            policy_id=policy.id,
            name="authorization code with PKCE",
            priority=1,
            grant_type_whitelist=["authorization_code"],
            scope_whitelist=list(scopes),
            group_whitelist=["EVERYONE"],
        )
        self._oidc_config = build_oidc_config(
            props, IdentityProviderType.OKTA, client_id=self.app.client_id, issuer_url=issuer
        )

    @property
    def oidc_config(self) -> OidcConfig:
        return self._oidc_config

    @property
    def client_secret(self) -> None:
        """Public client: there is no secret."""
        return None

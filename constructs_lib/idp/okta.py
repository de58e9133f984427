"""An Okta OIDC application: for kubelogin a native public client with PKCE and no secret, or for a
Google workforce pool a web client with a secret; and the custom authorization server (or a policy on an
existing one) that issues its tokens with the groups claim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cdktf_cdktf_provider_okta.app_oauth import AppOauth
from cdktf_cdktf_provider_okta.auth_server import AuthServer
from cdktf_cdktf_provider_okta.auth_server_claim import AuthServerClaim
from cdktf_cdktf_provider_okta.auth_server_policy import AuthServerPolicy
from cdktf_cdktf_provider_okta.auth_server_policy_rule import AuthServerPolicyRule
from cdktf_cdktf_provider_okta.auth_server_scope import AuthServerScope
from constructs import Construct

from constructs_lib.idp.base import build_oidc_config
from constructs_lib.idp.okta_props import AUTHORIZATION_CODE, GROUPS_SCOPE, OktaOidcAppProps
from constructs_lib.idp.security_rules.okta_grants import DEVICE_CODE
from constructs_lib.oidc import IdentityProviderType, OidcClientType, OidcConfig
from constructs_lib.terraform_literals import escaped

REFRESH_TOKEN = "refresh_token"  # noqa: S105 - a grant type, not a secret
ROTATE_REFRESH_TOKENS = "ROTATE"
"""Every refresh hands out a new refresh token and retires the old one (Okta's default leeway of 30 s
covers two kubectl calls refreshing at once); a stolen token is good until its first reuse only."""


def _client_settings(props: OktaOidcAppProps) -> dict[str, Any]:
    """The `okta_app_oauth` arguments that differ between the client types."""
    if props.client_type is OidcClientType.CONFIDENTIAL_WEB:
        # Google's sign-in service exchanges the code server-side and authenticates with the secret
        # (HTTP basic, the Okta console's "Client secret"). PKCE is not required: Google does not
        # document sending a code challenge, and requiring one would turn every sign-in away.
        return {
            "type": "web",
            "token_endpoint_auth_method": "client_secret_basic",
            "pkce_required": False,
            "omit_secret": False,
        }
    # A public client: kubectl runs on every engineer's machine and can keep no secret; PKCE takes the
    # secret's place. kubelogin's loopback listener also serves the logout redirect.
    return {
        "type": "native",
        "token_endpoint_auth_method": "none",
        "pkce_required": True,
        "omit_secret": True,
        "post_logout_redirect_uris": list(props.redirect_uris),
    }


def _grant_types(props: OktaOidcAppProps) -> list[str]:
    """Authorization code only, unless the props opt in to refresh tokens or the device grant."""
    grants = [AUTHORIZATION_CODE]
    if props.refresh_tokens:
        grants.append(REFRESH_TOKEN)
    if props.device_code:
        grants.append(DEVICE_CODE)  # Okta's name of the device authorization grant (RFC 8628)
    return grants


@dataclass(frozen=True)
class _Wording:
    """What the Okta console shows for the authorization server, policy and rule of each client type."""

    server_description: str
    policy_description: str
    rule_name: str


_WORDING = {
    OidcClientType.PUBLIC_NATIVE: _Wording(
        server_description="Issues ID tokens for kubectl (kubelogin) sign-in to Kubernetes",
        policy_description="Only the kubectl (kubelogin) app of this cluster",
        rule_name="authorization code with PKCE",
    ),
    OidcClientType.CONFIDENTIAL_WEB: _Wording(
        server_description="Issues ID tokens for Google workforce pool sign-in (gcloud, GKE)",
        policy_description="Only the web app the Google workforce pool signs in with",
        rule_name="authorization code with client secret",
    ),
}


class OktaOidcApp(Construct):
    """`okta_app_oauth` — `PUBLIC_NATIVE`: native, auth method none, PKCE required, no secret;
    `CONFIDENTIAL_WEB`: web, `client_secret_basic`, secret kept — both authorization code only; plus a
    custom authorization server with a `groups` scope and claim (unless one is reused) and an access
    policy whose rule admits only this app, only the authorization code grant (and, with `refresh_tokens`,
    the refresh token grant, rotating)."""

    def __init__(self, scope: Construct, id_: str, *, props: OktaOidcAppProps) -> None:
        super().__init__(scope, id_)
        self._client_type = props.client_type
        wording = _WORDING[props.client_type]
        tf = escaped(props)  # the props' strings as Terraform must read them
        self.app = AppOauth(
            self,
            "app",
            label=tf.app_label or tf.default_display_name,
            grant_types=_grant_types(props),
            response_types=["code"],
            redirect_uris=list(tf.redirect_uris),
            refresh_token_rotation=ROTATE_REFRESH_TOKENS if props.refresh_tokens else None,
            **_client_settings(tf),
        )

        self.authorization_server: AuthServer | None = None
        if tf.authorization_server_id is None:
            self.authorization_server = AuthServer(
                self,
                "authorization_server",
                name=tf.default_display_name,
                description=wording.server_description,
                audiences=[f"api://k8s-oidc/{tf.name}"],
            )
            server_id = self.authorization_server.id
        else:
            server_id = tf.authorization_server_id
        # A reused server's issuer is the props' issuer_url (required and checked by the props).
        self._oidc_config = build_oidc_config(
            props,
            IdentityProviderType.OKTA,
            client_id=self.app.client_id,
            computed_issuer_url=self.authorization_server.issuer if self.authorization_server else None,
        )
        tf_oidc = escaped(self._oidc_config)
        if self.authorization_server is not None:
            assert tf_oidc.groups_claim is not None, "Okta's IDP_DEFAULTS entry always names a groups claim"
            self._add_groups_claim(server_id, claim_name=tf_oidc.groups_claim, regex=tf.group_filter_regex)

        self.policy = AuthServerPolicy(
            self,
            "policy",
            auth_server_id=server_id,
            name=tf.default_display_name,
            description=wording.policy_description,
            priority=1,
            client_whitelist=[self.app.client_id],
        )
        self.policy_rule = AuthServerPolicyRule(
            self,
            "policy_rule",
            auth_server_id=server_id,
            policy_id=self.policy.id,
            name=wording.rule_name,
            priority=1,
            grant_type_whitelist=_grant_types(props),
            scope_whitelist=list(tf_oidc.scopes),
            group_whitelist=["EVERYONE"],
        )

    def _add_groups_claim(self, server_id: str, *, claim_name: str, regex: str) -> None:
        """The `groups` scope, and the claim it releases into ID tokens: the user's groups whose names
        match the regex (group names, so RBAC bindings can name them)."""
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
            name=claim_name,
            claim_type="IDENTITY",
            value_type="GROUPS",
            group_filter_type="REGEX",
            value=regex,
            always_include_in_token=True,
            scopes=[GROUPS_SCOPE],
        )

    @property
    def oidc_config(self) -> OidcConfig:
        """Issuer: the created server's `issuer` (a token), or the reused server's given `issuer_url`."""
        return self._oidc_config

    @property
    def client_secret(self) -> str | None:
        """`CONFIDENTIAL_WEB`: the app's generated secret (a sensitive token; it stays in Terraform state
        and flows to the pool provider). `PUBLIC_NATIVE`: None, there is no secret."""
        if self._client_type is OidcClientType.CONFIDENTIAL_WEB:
            return self.app.client_secret
        return None

"""An Okta OIDC application: for kubelogin a native public client with PKCE and no secret, or for a
Google workforce pool a web client with a secret; and the custom authorization server (or a policy on an
existing one) that issues its tokens with the groups claim."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cdktf_cdktf_provider_okta.app_oauth import AppOauth
from cdktf_cdktf_provider_okta.auth_server import AuthServer
from cdktf_cdktf_provider_okta.auth_server_claim import AuthServerClaim
from cdktf_cdktf_provider_okta.auth_server_policy import AuthServerPolicy
from cdktf_cdktf_provider_okta.auth_server_policy_rule import AuthServerPolicyRule
from cdktf_cdktf_provider_okta.auth_server_scope import AuthServerScope
from constructs import Construct

from constructs_lib.idp.base import IdentityProviderProps, build_oidc_config, require_single_word
from constructs_lib.oidc import IdentityProviderType, OidcClientType, OidcConfig
from constructs_lib.tokens import is_unresolved

GROUPS_SCOPE = "groups"
"""The custom scope that releases the groups claim of a created authorization server."""
DEFAULT_GROUP_FILTER_REGEX = ".*"
AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"  # noqa: S105 - a grant type, not a secret
ROTATE_REFRESH_TOKENS = "ROTATE"
"""Every refresh hands out a new refresh token and retires the old one (Okta's default leeway of 30 s
covers two kubectl calls refreshing at once); a stolen token is good until its first reuse only."""


@dataclass(frozen=True, kw_only=True)
class OktaOidcAppProps(IdentityProviderProps):
    app_label: str | None = None
    """Label shown in the Okta console; default `k8s-oidc <name>` (a web client: `k8s-oidc <name> (Google
    workforce)`). The created authorization server and the access policy take the default too."""
    authorization_server_id: str | None = None
    """Reuse this custom authorization server: only the app and an access policy (with its rule)
    admitting it are created; the server must already release a groups claim. Requires `issuer_url`
    (the server's Issuer URI). Default: create a server with a `groups` scope and claim for this app."""
    group_filter_regex: str = DEFAULT_GROUP_FILTER_REGEX
    """Only groups whose name matches this regex go into the created server's groups claim; default
    `.*` (all of the user's groups). A reused server keeps its own claim, so only the default is
    accepted with `authorization_server_id`."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.app_label is not None and not self.app_label.strip():
            raise ValueError(
                f"app_label must not be empty, got {self.app_label!r}; omit it for {self.default_display_name!r}"
            )
        if self.authorization_server_id is None:
            self._validate_created_server()
        else:
            self._validate_reused_server(self.authorization_server_id)

    def _validate_created_server(self) -> None:
        if self.issuer_url is not None:
            raise ValueError(
                f"issuer_url {self.issuer_url!r} needs authorization_server_id: the issuer of the authorization "
                "server this construct creates is only known after apply; set authorization_server_id to reuse "
                "the server with that issuer, or omit issuer_url"
            )
        try:
            re.compile(self.group_filter_regex)
        except re.error as error:
            raise ValueError(
                f"group_filter_regex {self.group_filter_regex!r} is not a regular expression ({error}); "
                "e.g. 'k8s-.*' for the groups named k8s-…"
            ) from None
        if self.scopes is not None and GROUPS_SCOPE not in self.scopes:
            raise ValueError(
                f"scopes must include {GROUPS_SCOPE!r}: the created authorization server releases the groups "
                f"claim only for that scope, got {list(self.scopes)}; add {GROUPS_SCOPE!r}"
            )

    def _validate_reused_server(self, server_id: str) -> None:
        require_single_word("authorization_server_id", server_id, "aus1a2b3c4d5e6f7g8h9")
        if self.issuer_url is None:
            raise ValueError(
                f"authorization_server_id {server_id!r} needs issuer_url: copy the server's Issuer URI "
                f"(ending in /oauth2/{server_id}) from Security > API > Authorization Servers in the Okta "
                "console (Okta's data source finds servers by name only)"
            )
        if not is_unresolved(self.issuer_url) and not self.issuer_url.endswith(f"/oauth2/{server_id}"):
            raise ValueError(
                f"issuer_url {self.issuer_url!r} must end in /oauth2/{server_id} (the Issuer URI of the reused "
                "authorization server, without a trailing slash)"
            )
        if self.group_filter_regex != DEFAULT_GROUP_FILTER_REGEX:
            raise ValueError(
                f"group_filter_regex {self.group_filter_regex!r} applies only to an authorization server this "
                f"construct creates; the reused server {server_id!r} filters groups with its own groups claim: "
                "edit that claim in the Okta console, or omit authorization_server_id"
            )


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
    """Authorization code only, unless the props opt in to refresh tokens."""
    return [AUTHORIZATION_CODE, REFRESH_TOKEN] if props.refresh_tokens else [AUTHORIZATION_CODE]


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
        self.app = AppOauth(
            self,
            "app",
            label=props.app_label or props.default_display_name,
            grant_types=_grant_types(props),
            response_types=["code"],
            redirect_uris=list(props.redirect_uris),
            refresh_token_rotation=ROTATE_REFRESH_TOKENS if props.refresh_tokens else None,
            **_client_settings(props),
        )

        self.authorization_server: AuthServer | None = None
        if props.authorization_server_id is None:
            self.authorization_server = AuthServer(
                self,
                "authorization_server",
                name=props.default_display_name,
                description=wording.server_description,
                audiences=[f"api://k8s-oidc/{props.name}"],
            )
            server_id = self.authorization_server.id
        else:
            server_id = props.authorization_server_id
        # A reused server's issuer is the props' issuer_url (required and checked by the props).
        self._oidc_config = build_oidc_config(
            props,
            IdentityProviderType.OKTA,
            client_id=self.app.client_id,
            computed_issuer_url=self.authorization_server.issuer if self.authorization_server else None,
        )
        if self.authorization_server is not None:
            self._add_groups_claim(server_id, props.group_filter_regex)

        self.policy = AuthServerPolicy(
            self,
            "policy",
            auth_server_id=server_id,
            name=props.default_display_name,
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
            scope_whitelist=list(self._oidc_config.scopes),
            group_whitelist=["EVERYONE"],
        )

    def _add_groups_claim(self, server_id: str, group_filter_regex: str) -> None:
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
        claim_name = self._oidc_config.groups_claim
        assert claim_name is not None, "Okta's IDP_DEFAULTS entry always names a groups claim"
        AuthServerClaim(
            self,
            "groups_claim",
            auth_server_id=server_id,
            name=claim_name,
            claim_type="IDENTITY",
            value_type="GROUPS",
            group_filter_type="REGEX",
            value=group_filter_regex,
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

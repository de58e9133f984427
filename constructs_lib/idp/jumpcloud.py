"""A JumpCloud Custom OIDC app. There is no official Terraform provider, so the app is made by hand and
this construct takes its id: for kubelogin a public client (PKCE, no secret, groups attribute `groups`);
for a Google workforce pool a confidential web client, whose secret is a sensitive Terraform variable."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.idp.base import build_oidc_config, declare_client_secret_variable
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.oidc import IdentityProviderType, OidcClientType, OidcConfig


class JumpCloudOidcClient(Construct):
    """No resources: exposes the `OidcConfig` (issuer with JumpCloud's trailing slash). `CONFIDENTIAL_WEB`
    adds one sensitive variable, `props.client_secret_variable`, without a default: it is never in the JSON."""

    def __init__(self, scope: Construct, id_: str, *, props: JumpCloudOidcClientProps) -> None:
        super().__init__(scope, id_)
        self._client_secret: str | None = None
        if props.client_type is OidcClientType.CONFIDENTIAL_WEB:
            self._client_secret = declare_client_secret_variable(
                self,
                name=props.client_secret_variable,
                description=f"Client secret of the JumpCloud web OIDC app {props.client_id} that the Google "
                "workforce pool signs in with",
            )
        self._oidc_config = build_oidc_config(props, IdentityProviderType.JUMPCLOUD, client_id=props.client_id)

    @property
    def oidc_config(self) -> OidcConfig:
        return self._oidc_config

    @property
    def client_secret(self) -> str | None:
        """`CONFIDENTIAL_WEB`: the variable's value (a sensitive token). `PUBLIC_NATIVE`: None, no secret."""
        return self._client_secret

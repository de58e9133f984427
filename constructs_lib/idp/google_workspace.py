"""A Google Workspace OAuth client for kubelogin. Google offers no API to create OAuth clients, so the
Desktop-app client is made by hand in the console; this construct takes its id and declares its
secret as a sensitive Terraform variable (Google enforces the secret even with PKCE)."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.idp.base import build_oidc_config, declare_client_secret_variable
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.oidc import (
    GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE,
    IdentityProviderType,
    OidcConfig,
)


class GoogleWorkspaceOidcClient(Construct):
    """No resources: the issuer is fixed, the client made by hand; one sensitive variable."""

    def __init__(self, scope: Construct, id_: str, *, props: GoogleWorkspaceOidcClientProps) -> None:
        super().__init__(scope, id_)
        self._client_secret = declare_client_secret_variable(
            self,
            name=GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE,
            description="Client secret of the Google Workspace Desktop-app OAuth client that kubelogin "
            "signs in with (Google enforces it even with PKCE)",
        )
        self._oidc_config = build_oidc_config(props, IdentityProviderType.GOOGLE_WORKSPACE, client_id=props.client_id)

    @property
    def oidc_config(self) -> OidcConfig:
        return self._oidc_config

    @property
    def client_secret(self) -> str:
        """A sensitive token: only ever put into sensitive outputs."""
        return self._client_secret

"""A Google Workspace OAuth client for kubelogin. Google offers no API to create OAuth clients, so the
Desktop-app client is made by hand in the console; this construct takes its id and declares its
secret as a sensitive Terraform variable (Google enforces the secret even with PKCE)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from constructs_lib.idp.base import (
    IdentityProviderProps,
    build_oidc_config,
    declare_client_secret_variable,
    require_single_word,
)
from constructs_lib.oidc import (
    GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE,
    IdentityProviderType,
    OidcClientType,
    OidcConfig,
)
from constructs_lib.tokens import is_unresolved


@dataclass(frozen=True, kw_only=True)
class GoogleWorkspaceOidcClientProps(IdentityProviderProps):
    client_id: str
    """The Desktop-app OAuth client id (`….apps.googleusercontent.com`)."""

    def __post_init__(self) -> None:
        # Checked first: the redirect URI checks would otherwise blame the URIs, not the client type.
        if self.client_type is OidcClientType.CONFIDENTIAL_WEB:
            raise ValueError(
                "client_type CONFIDENTIAL_WEB is not available for Google Workspace: its users are Google "
                "identities already and do not federate through a workforce pool; grant them IAM roles "
                "directly, or use PUBLIC_NATIVE for kubelogin"
            )
        if self.refresh_tokens:
            raise ValueError(
                "refresh_tokens is not available for Google Workspace: Google issues refresh tokens only to "
                "sign-ins that ask for access_type=offline, which kubelogin does not send; leave it false "
                "(engineers sign in again in the browser when the ID token expires, after an hour)"
            )
        super().__post_init__()
        require_single_word("client_id", self.client_id, "1234-abc.apps.googleusercontent.com")
        if not is_unresolved(self.client_id) and not self.client_id.endswith(".apps.googleusercontent.com"):
            raise ValueError(
                f"client_id must end in .apps.googleusercontent.com, got {self.client_id!r}; "
                "create a Desktop-app OAuth client in the Google Cloud console"
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

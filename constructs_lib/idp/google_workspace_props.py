"""Props of the Google Workspace OAuth client construct (cdktf-free)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib.idp.base_props import IdentityProviderProps, require_single_word
from constructs_lib.oidc import OidcClientType
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_unresolved


@dataclass(frozen=True, kw_only=True)
class GoogleWorkspaceOidcClientProps(IdentityProviderProps):
    client_id: str
    """The Desktop-app OAuth client id made in the console (`….apps.googleusercontent.com`)."""

    def __post_init__(self) -> None:
        # Checked first, and alone: the redirect URI checks would otherwise blame the URIs, not the client type.
        if self.client_type is OidcClientType.CONFIDENTIAL_WEB:
            raise PropsError(
                "client_type",
                "client_type CONFIDENTIAL_WEB is not available for Google Workspace: its users are Google "
                "identities already and do not federate through a workforce pool; grant them IAM roles "
                "directly, or use PUBLIC_NATIVE for kubelogin",
            )
        raise_problems(
            self._check_refresh_tokens_unavailable,
            self._check_device_code_unavailable,
            super().__post_init__,
            self._check_client_id,
        )

    def _check_refresh_tokens_unavailable(self) -> None:
        if self.refresh_tokens:
            raise PropsError(
                "refresh_tokens",
                "refresh_tokens is not available for Google Workspace: Google issues refresh tokens only to "
                "sign-ins that ask for access_type=offline, which kubelogin does not send; leave it false "
                "(engineers sign in again in the browser when the ID token expires, after an hour)",
            )

    def _check_device_code_unavailable(self) -> None:
        if self.device_code:
            raise PropsError(
                "device_code",
                "device_code is not available for Google Workspace: Google's device flow takes a \"TVs and "
                'Limited Input devices" OAuth client, not the Desktop-app client kubelogin signs in with, and '
                "only a few scopes; leave it false (engineers on remote shells forward kubelogin's ports over SSH)",
            )

    def _check_client_id(self) -> None:
        require_single_word("client_id", self.client_id, "1234-abc.apps.googleusercontent.com")
        if not is_unresolved(self.client_id) and not self.client_id.endswith(".apps.googleusercontent.com"):
            raise PropsError(
                "client_id",
                f"client_id must end in .apps.googleusercontent.com, got {self.client_id!r}; "
                "create a Desktop-app OAuth client in the Google Cloud console",
            )

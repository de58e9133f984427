"""A JumpCloud Custom OIDC app for kubelogin. There is no official Terraform provider, so the app is
made by hand (public client, PKCE, no secret, groups attribute `groups`); this construct takes its id."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from constructs_lib.idp.base import IdentityProviderProps, build_oidc_config, require_single_word
from constructs_lib.oidc import IdentityProviderType, OidcConfig


@dataclass(frozen=True, kw_only=True)
class JumpCloudOidcClientProps(IdentityProviderProps):
    client_id: str
    """Client id of the Custom OIDC app. EU orgs set `issuer_url` to https://oauth.id.eu.jumpcloud.com/."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_single_word("client_id", self.client_id, "5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")


class JumpCloudOidcClient(Construct):
    """No resources: exposes the `OidcConfig` (issuer with JumpCloud's trailing slash)."""

    def __init__(self, scope: Construct, id_: str, *, props: JumpCloudOidcClientProps) -> None:
        super().__init__(scope, id_)
        self._oidc_config = build_oidc_config(props, IdentityProviderType.JUMPCLOUD, client_id=props.client_id)

    @property
    def oidc_config(self) -> OidcConfig:
        return self._oidc_config

    @property
    def client_secret(self) -> None:
        return None

"""A JumpCloud Custom OIDC app. There is no official Terraform provider, so the app is made by hand and
this construct takes its id: for kubelogin a public client (PKCE, no secret, groups attribute `groups`);
for a Google workforce pool a confidential web client, whose secret is a sensitive Terraform variable."""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs import Construct

from constructs_lib.idp.base import (
    IdentityProviderProps,
    build_oidc_config,
    declare_client_secret_variable,
    require_single_word,
)
from constructs_lib.oidc import IdentityProviderType, OidcClientType, OidcConfig, workforce_client_secret_variable


@dataclass(frozen=True, kw_only=True)
class JumpCloudOidcClientProps(IdentityProviderProps):
    client_id: str
    """Client id of the Custom OIDC app (for `CONFIDENTIAL_WEB`, of the web app made for the workforce
    pool). EU orgs set `issuer_url` to https://oauth.id.eu.jumpcloud.com/."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_single_word("client_id", self.client_id, "5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")
        # Terraform identifiers must not start with a digit.
        if self.client_type is OidcClientType.CONFIDENTIAL_WEB and re.match(r"[0-9]", self.client_secret_variable):
            raise ValueError(
                f"name {self.name!r} must not start with a digit for a confidential web client: it names the "
                f"Terraform variable {self.client_secret_variable!r} that carries the client secret; "
                "e.g. the IdP's name 'corp-jc'"
            )

    @property
    def client_secret_variable(self) -> str:
        """`CONFIDENTIAL_WEB`: the sensitive Terraform variable holding the web app's secret,
        `<name>_workforce_client_secret` with every character of `name` other than a letter, digit or `_`
        made `_` (`corp-jc` → `corp_jc_workforce_client_secret`; set `TF_VAR_corp_jc_workforce_client_secret`)."""
        return workforce_client_secret_variable(self.name)


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

"""Props of the JumpCloud Custom OIDC app construct (cdktf-free)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_lib.idp.base_props import IdentityProviderProps, require_single_word
from constructs_lib.oidc import OidcClientType, workforce_client_secret_variable
from constructs_lib.props_error import PropsError, raise_problems


@dataclass(frozen=True, kw_only=True)
class JumpCloudOidcClientProps(IdentityProviderProps):
    client_id: str
    """Client id of the Custom OIDC app made in the JumpCloud console.

    For `CONFIDENTIAL_WEB`, of the web app made for the workforce pool. EU orgs set `issuer_url` to
    https://oauth.id.eu.jumpcloud.com/."""

    def __post_init__(self) -> None:
        raise_problems(
            self._check_device_code_unavailable,
            super().__post_init__,
            lambda: require_single_word("client_id", self.client_id, "5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
            self._check_name_makes_a_variable,
        )

    def _check_device_code_unavailable(self) -> None:
        if self.device_code:
            raise PropsError(
                "device_code",
                "device_code is not available for JumpCloud: its OIDC apps offer the authorization code and "
                "refresh token grants only, no device authorization grant; leave it false (engineers on remote "
                "shells forward kubelogin's ports over SSH)",
            )

    def _check_name_makes_a_variable(self) -> None:
        # Terraform identifiers must not start with a digit.
        if self.client_type is OidcClientType.CONFIDENTIAL_WEB and re.match(r"[0-9]", self.client_secret_variable):
            raise PropsError(
                "name",
                f"name {self.name!r} must not start with a digit for a confidential web client: it names the "
                f"Terraform variable {self.client_secret_variable!r} that carries the client secret; "
                "e.g. the IdP's name 'corp-jc'",
            )

    @property
    def client_secret_variable(self) -> str:
        """`CONFIDENTIAL_WEB`: the sensitive Terraform variable holding the web app's secret,
        `<name>_workforce_client_secret` with every character of `name` other than a letter, digit or `_`
        made `_` (`corp-jc` → `corp_jc_workforce_client_secret`; set `TF_VAR_corp_jc_workforce_client_secret`)."""
        return workforce_client_secret_variable(self.name)

"""An `oidc` identity provider entry: any other OpenID provider (Keycloak, Dex, Auth0, Authentik, Ping, …), its
public client made by hand, and the CA of its issuer when that CA is private."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PrivateAttr, StringConstraints, ValidationInfo, model_validator

from constructs_lib.idp.generic_oidc_props import GenericOidcClientProps
from constructs_lib.props_error import PropsError
from stacks.config.certificate_authority import (
    DATA_KEY,
    FILE_KEY,
    CertificateAuthority,
    read_certificate_authority,
)
from stacks.config.identity_providers.base import Client, IdentityProviderBase
from stacks.config.options import option, prop_descriptions
from stacks.config.value_types import Text
from stacks.errors import Problem

ISSUER_CA = "the issuer's"


class OidcIdp(IdentityProviderBase):
    PROPS: ClassVar[type[GenericOidcClientProps]] = GenericOidcClientProps

    type: Literal["oidc"]
    # Required: the props' field inherits the base's default None, which `option` would take.
    issuer_url: Text = Field(description=prop_descriptions(GenericOidcClientProps)["issuer_url"])
    client_id: Text = option(GenericOidcClientProps, "client_id")
    certificate_authority_file: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = None
    """A PEM file of the CA certificate(s) behind the issuer's TLS certificate, relative to the config file's
    folder, read when the config loads; only when that CA is private. Default: none (a publicly trusted
    issuer)."""
    certificate_authority_data: str | None = option(GenericOidcClientProps, "certificate_authority_data")
    _certificate_authority: CertificateAuthority | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _read_certificate_authority(self, info: ValidationInfo) -> OidcIdp:
        data, file = self.certificate_authority_data, self.certificate_authority_file
        if data is None and file is None:
            return self
        if data is not None and file is not None:
            raise PropsError(
                "",
                f"give one of `{DATA_KEY}` (base64 of the issuer's PEM CA certificate) or `{FILE_KEY}` (the PEM "
                f"file, relative to this config file), not both; e.g. {FILE_KEY}: pki/sso-ca.pem",
            )
        config_dir = Path((info.context or {}).get("config_dir", "."))
        self._certificate_authority = read_certificate_authority(config_dir, data=data, file=file, whose=ISSUER_CA)
        return self

    @property
    def issuer_certificate_authority(self) -> str | None:
        return None if self._certificate_authority is None else self._certificate_authority.base64

    def props_values(self, client: Client) -> dict[str, Any]:
        # The certificates alone, from the file or the data: what else the input held stays out (a warning).
        return {**super().props_values(client), DATA_KEY: self.issuer_certificate_authority}

    def props_keys(self, client: Client) -> dict[str, str]:
        key = FILE_KEY if self.certificate_authority_file is not None else DATA_KEY
        return {**super().props_keys(client), DATA_KEY: key}

    @property
    def warnings(self) -> list[Problem]:
        warning = None if self._certificate_authority is None else self._certificate_authority.warning
        return [] if warning is None else [warning]

    def workforce_refusal(self, name: str, cluster: str, index: int) -> Problem | None:
        return Problem(
            f"clusters.{cluster}.identity_providers[{index}]",
            f"{name} is an `oidc` IdP, whose only client is kubelogin's public one made by hand; a workforce pool "
            "signs in with a confidential web client, which k8s-oidc knows how to use for okta, entra_id and "
            "jumpcloud only; use the IdP on a cluster that trusts it itself (`auth: identity_service`, EKS, AKS or "
            "self-managed)",
        )

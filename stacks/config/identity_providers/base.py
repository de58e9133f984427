"""What every identity provider entry takes and answers, whatever its type.

The rules on an IdP's values live in its construct's props (`constructs_lib/idp/*_props.py`), and so do the
defaults and descriptions of the options the two share (`stacks.config.options`); each type's entry builds its
construct's props (`props`), and the config layer reports their refusals at the entry's keys.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, field_validator

from constructs_lib.idp.base_props import IdentityProviderProps
from constructs_lib.idp.settings import IdpSettings, build_oidc_config, resolved_settings
from constructs_lib.oidc import (
    GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE,
    IdentityProviderType,
    OidcClientType,
    OidcConfig,
)
from constructs_lib.tokens import KNOWN_AFTER_DEPLOY
from stacks.config.options import option, option_values
from stacks.config.strict_model import StrictModel
from stacks.config.value_types import Text, unique
from stacks.errors import Problem


@dataclass(frozen=True, kw_only=True)
class Client:
    """One client the config makes at an IdP: kubelogin's public client of a pair stack, or the web client a
    Google workforce pool signs in with."""

    name: str
    """Names what the construct creates (the pair stack; the IdP for a web client)."""
    prefix: str
    client_type: OidcClientType
    redirect_uris: tuple[str, ...]

    @property
    def web(self) -> bool:
        return self.client_type is OidcClientType.CONFIDENTIAL_WEB


class Application(enum.StrEnum):
    """Where the application kubelogin signs in with lives, for an IdP type whose applications k8s-oidc makes."""

    PER_CLUSTER = "per_cluster"
    """One application in every pair stack: each cluster trusts its own client id, so a token for one cluster is
    refused by the others, and an engineer signs in once per cluster."""
    SHARED = "shared"
    """One application for every cluster of the IdP, in the stack `<idp>-idp`: one sign-in covers them all, and
    an ID token for one of them is accepted by all of them (the same audience)."""


PROPS_KEYS: Mapping[str, str] = {"redirect_uris": "/defaults.redirect_ports", "name": "", "client_type": "type"}
"""Props fields whose config key is not the field's name (relative to the entry; "/": from the top of the file)."""


class IdentityProviderBase(StrictModel):
    """Fields every identity provider type takes; unset means the type's default (the IdP defaults table).
    The rules on these values live in the IdP construct's props (`constructs_lib/idp/*_props.py`)."""

    PROPS: ClassVar[type[IdentityProviderProps]] = IdentityProviderProps
    """The props of the type's construct: the entry's options are its fields of the same name."""
    MAKES_APPLICATIONS: ClassVar[bool] = False
    """Whether k8s-oidc makes the type's applications (so that `application` can share one); default: no, its
    client is made by hand in the IdP's console."""

    if TYPE_CHECKING:
        type: str  # each type declares its tag (a `Literal`)

    prefix: Text | None = None
    """Username and groups prefix Kubernetes puts before every subject; default `<name>:`."""
    issuer_url: Text | None = option(IdentityProviderProps, "issuer_url")
    user_claim: Text | None = option(IdentityProviderProps, "user_claim")
    groups_claim: Text | None = option(IdentityProviderProps, "groups_claim")
    scopes: Annotated[list[Text], Field(min_length=1, max_length=32), AfterValidator(unique)] | None = option(
        IdentityProviderProps, "scopes"
    )
    refresh_tokens: bool = option(IdentityProviderProps, "refresh_tokens")
    device_code: bool = option(IdentityProviderProps, "device_code")
    client_secret: Any = Field(default=None, json_schema_extra={"not": {}})
    """Never accepted: declared only to explain where the secret goes instead."""
    application: Any = Field(default=None, json_schema_extra={"not": {}})
    """Not for this type: its client is made by hand, and every cluster trusts that one client already."""

    @field_validator("application", mode="before")
    @classmethod
    def _refuse_application(cls, value: Any) -> Any:
        if value is not None and not cls.MAKES_APPLICATIONS:
            (type_name,) = typing.get_args(cls.model_fields["type"].annotation)
            raise ValueError(
                f"{type_name} clients are made by hand in the IdP's console (`client_id`), and every cluster of "
                "this IdP already trusts that one client: they are shared already; remove `application` (it "
                "chooses between an application per cluster and one shared application where k8s-oidc makes the "
                "applications: okta, entra_id)"
            )
        return value

    @field_validator("client_secret", mode="before")
    @classmethod
    def _refuse_secret(cls, value: Any) -> None:
        if value is not None:
            raise ValueError(
                "secrets never go in the config: k8s-oidc makes clients without a secret where the IdP "
                "allows it; a Google Workspace secret is the sensitive Terraform variable "
                f"`{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}` of its stacks (e.g. "
                f"TF_VAR_{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}, or a sensitive Terraform Cloud workspace "
                "variable); a JumpCloud workforce client's is `<idp>_workforce_client_secret` of the "
                "workforce-pool stack"
            )
        return None

    @property
    def shared_application(self) -> bool:
        """Whether every cluster of this IdP trusts one application, made in the stack `<idp>-idp`."""
        return self.application is Application.SHARED

    @property
    def idp_type(self) -> IdentityProviderType:
        return IdentityProviderType(self.type)

    @property
    def issuer_certificate_authority(self) -> str | None:
        """Base64 PEM of the certificates of the issuer's private CA; None: the issuer's TLS certificate is
        publicly trusted (every type but `oidc`, which may name one)."""
        return None

    def username_prefix(self, name: str) -> str:
        """The username and groups prefix of the IdP `name`: the configured one, else `<name>:`."""
        return self.prefix if self.prefix is not None else f"{name}:"

    def settings(self) -> IdpSettings:
        """What kubelogin's client of this IdP uses: each setting configured, else the type's default."""
        return resolved_settings(self.idp_type, self)

    def props(self, client: Client) -> IdentityProviderProps:
        """The props of the construct that makes `client`."""
        return self.PROPS(**self.props_values(client))

    def props_values(self, client: Client) -> dict[str, Any]:
        """The props' values for `client`: the entry's options and the client's own settings."""
        return {
            **option_values(self, self.PROPS),
            "name": client.name,
            "prefix": client.prefix,
            "client_type": client.client_type,
            "redirect_uris": client.redirect_uris,
            # Google's web sign-in keeps no refresh token: only kubelogin's client can use one.
            "refresh_tokens": self.refresh_tokens and not client.web,
            # Likewise the device grant: kubelogin's client only.
            "device_code": self.device_code and not client.web,
        }

    def oidc_config_before_deploy(self, client: Client) -> OidcConfig:
        """The `OidcConfig` the type's construct gives `client`, as far as the config knows it: a client id or
        issuer that only the deploy makes (Okta's, Entra's) is `KNOWN_AFTER_DEPLOY`, which props leave alone as
        they leave a token. `PropsError` as `props`."""
        props = self.props(client)
        return build_oidc_config(
            props,
            self.idp_type,
            client_id=getattr(props, "client_id", KNOWN_AFTER_DEPLOY),
            computed_issuer_url=None if self.settings().issuer_url else KNOWN_AFTER_DEPLOY,
            certificate_authority_data=self.issuer_certificate_authority,
        )

    def props_keys(self, client: Client) -> Mapping[str, str]:
        """The config key of each props field that isn't the entry's key of the same name."""
        return PROPS_KEYS

    @property
    def warnings(self) -> list[Problem]:
        """What the entry allows but a user should know, at keys relative to the entry; default none."""
        return []

    def workforce_refusal(self, name: str, cluster: str, index: int) -> Problem | None:
        """Why this IdP (`name`, the `identity_providers[index]` of the workforce cluster `cluster`) can't sign
        engineers in through the Google workforce pool, or None when it can."""
        return None


class ApplicationMakingIdp(IdentityProviderBase):
    """An IdP type whose applications k8s-oidc makes (Okta, Entra ID): one per pair stack, or one for all."""

    MAKES_APPLICATIONS: ClassVar[bool] = True

    application: Annotated[Application, Field(strict=False)] = Application.PER_CLUSTER
    """`per_cluster` (default): an application in every pair stack, each cluster trusting its own client id;
    `shared`: one application, in the stack `<idp>-idp`, that every cluster of this IdP trusts (one sign-in for
    all of them; a token for one is accepted by all: see docs/shared-applications.md)."""

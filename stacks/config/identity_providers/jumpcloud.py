"""A `jumpcloud` identity provider entry: Custom OIDC apps made in the JumpCloud console."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from stacks.config.identity_providers.base import PROPS_KEYS, Client, IdentityProviderBase
from stacks.config.options import option
from stacks.config.value_types import Text
from stacks.errors import Problem


class JumpCloudIdp(IdentityProviderBase):
    PROPS: ClassVar[type[JumpCloudOidcClientProps]] = JumpCloudOidcClientProps

    type: Literal["jumpcloud"]
    client_id: Text = option(JumpCloudOidcClientProps, "client_id")
    workforce_client_id: Text | None = None
    """Client id of a second, confidential (web) OIDC app for the Google workforce pool; required
    when a `workforce_identity` cluster uses this IdP. Its secret is a sensitive Terraform variable."""

    def props_values(self, client: Client) -> dict[str, Any]:
        client_id = self.workforce_client_id if client.web else self.client_id
        assert client_id is not None, "the config checks require workforce_client_id for workforce clusters"
        return {**super().props_values(client), "client_id": client_id}

    def props_keys(self, client: Client) -> Mapping[str, str]:
        return {**PROPS_KEYS, "client_id": "workforce_client_id"} if client.web else PROPS_KEYS

    def workforce_refusal(self, name: str, cluster: str, index: int) -> Problem | None:
        if self.workforce_client_id is not None:
            return None
        return Problem(
            f"identity_providers.{name}.workforce_client_id",
            f"required: workforce_identity cluster {cluster!r} uses {name}; create a confidential "
            "(web) Custom OIDC app in JumpCloud for the workforce pool and put its client id here",
        )

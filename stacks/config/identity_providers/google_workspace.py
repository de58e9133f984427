"""A `google_workspace` identity provider entry: a Desktop-app OAuth client made in the Google Cloud console."""

from __future__ import annotations

from typing import ClassVar, Literal

from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from stacks.config.identity_providers.base import IdentityProviderBase
from stacks.config.options import option
from stacks.config.value_types import Text
from stacks.errors import Problem


class GoogleWorkspaceIdp(IdentityProviderBase):
    PROPS: ClassVar[type[GoogleWorkspaceOidcClientProps]] = GoogleWorkspaceOidcClientProps

    type: Literal["google_workspace"]
    client_id: Text = option(GoogleWorkspaceOidcClientProps, "client_id")

    def workforce_refusal(self, name: str, cluster: str, index: int) -> Problem | None:
        return Problem(
            f"clusters.{cluster}.identity_providers[{index}]",
            f"{name} is Google Workspace: its users are Google identities already and do not "
            "federate through a workforce pool; use `auth: identity_service` or Google's own IAM",
        )

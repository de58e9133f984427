"""An `entra_id` identity provider entry: k8s-oidc creates the app registration in Microsoft Entra ID."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field

from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from stacks.config.identity_providers.base import ApplicationMakingIdp
from stacks.config.options import option
from stacks.config.value_types import Text, unique
from stacks.errors import Problem


class EntraIdIdp(ApplicationMakingIdp):
    PROPS: ClassVar[type[EntraIdOidcAppProps]] = EntraIdOidcAppProps

    type: Literal["entra_id"]
    security_groups: Annotated[list[Text], Field(max_length=200), AfterValidator(unique)] = option(
        EntraIdOidcAppProps, "security_groups"
    )

    @property
    def warnings(self) -> list[Problem]:
        if self.security_groups:
            return []
        return [
            Problem(
                "security_groups",
                "empty: the app requires assignment, so nobody can sign in until groups are assigned",
            )
        ]

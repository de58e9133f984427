"""The `identity_providers.<name>` entries: one model per IdP type, in the module named after the type."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from stacks.config.identity_providers.base import Application
from stacks.config.identity_providers.entra_id import EntraIdIdp
from stacks.config.identity_providers.google_workspace import GoogleWorkspaceIdp
from stacks.config.identity_providers.jumpcloud import JumpCloudIdp
from stacks.config.identity_providers.oidc import OidcIdp
from stacks.config.identity_providers.okta import OktaIdp

IdentityProviderConfig = Annotated[
    OktaIdp | EntraIdIdp | GoogleWorkspaceIdp | JumpCloudIdp | OidcIdp, Field(discriminator="type")
]
"""An entry of any type, told apart by its `type`; a new IdP type joins here."""

__all__ = [
    "Application",
    "EntraIdIdp",
    "GoogleWorkspaceIdp",
    "IdentityProviderConfig",
    "JumpCloudIdp",
    "OidcIdp",
    "OktaIdp",
]

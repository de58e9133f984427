"""What every identity-provider construct shares: the `OidcIdentityProvider` protocol and its client-secret
variable. The props live in `base_props`, and how a construct builds its `OidcConfig` in `settings` (both
cdktf-free: the config model builds them before deploy too)."""

from __future__ import annotations

from typing import Protocol

from cdktf import TerraformVariable
from constructs import Construct

from constructs_lib.idp.settings import build_oidc_config as build_oidc_config  # the constructs import it from here
from constructs_lib.oidc import OidcConfig


class OidcIdentityProvider(Protocol):
    """What cluster constructs and stacks need from an IdP construct."""

    @property
    def oidc_config(self) -> OidcConfig: ...

    @property
    def client_secret(self) -> str | None:
        """A (sensitive) token for the client secret, or None: public client, no secret."""
        ...


def declare_client_secret_variable(scope: Construct, *, name: str, description: str) -> str:
    """A required sensitive string variable for a client secret made outside Terraform, under a
    stable, documented name (users set `TF_VAR_<name>`) instead of cdktf's hashed one; its token."""
    variable = TerraformVariable(
        scope, "client_secret", type="string", sensitive=True, nullable=False, description=description
    )
    variable.override_logical_id(name)
    return variable.string_value

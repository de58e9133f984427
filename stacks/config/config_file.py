"""The top level of `oidc.yaml` and its `defaults` section; each section's entries have their own module."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS
from stacks.config.backend import Backend, LocalBackend
from stacks.config.strict_model import StrictModel
from stacks.config.value_types import Text, no_bidirectional_controls, unique
from stacks.config.workforce_pool import WorkforcePool

Port = Annotated[int, Field(ge=1024, le=65535)]


class Defaults(StrictModel):
    redirect_ports: Annotated[list[Port], Field(min_length=1, max_length=8), AfterValidator(unique)] = Field(
        default=list(DEFAULT_REDIRECT_PORTS)
    )
    """kubelogin's listen ports; every IdP app registers `http://localhost:<port>` for each."""
    support: Annotated[Text, AfterValidator(no_bidirectional_controls)] | None = None
    """Whom engineers ask for help or access, e.g. `#k8s-access on Slack`: shown in every engineer guide (each
    stack's README, `all-clusters/<idp>.md`, the top README); default: the guides say "your platform team"."""


def _not_a_boolean(value: Any) -> Any:
    # YAML's `true` is Python's True, which equals 1: a `Literal[1]` alone would take it.
    if isinstance(value, bool):
        raise ValueError(f"must be 1; got the boolean {str(value).lower()}")
    return value


class ConfigFile(StrictModel):
    """Top-level keys; the entries of the three sections are validated one by one afterwards."""

    version: Annotated[Literal[1], BeforeValidator(_not_a_boolean)]
    """The config format version: 1."""
    backend: Backend = LocalBackend()
    """Where Terraform keeps state; default `{type: local}`."""
    defaults: Defaults = Defaults()
    """Settings every identity provider shares."""
    identity_providers: Annotated[dict[str, Any], Field(min_length=1)]
    """Identity providers by name."""
    clusters: Annotated[dict[str, Any], Field(min_length=1)]
    """Clusters by name."""
    access: list[Any] = Field(default=[])
    """RBAC bindings, rendered into `rbac.yaml` by the render step; default none."""
    google_workforce_pool: WorkforcePool | None = None
    """The workforce pool `workforce_identity` GKE clusters trust; default: none."""

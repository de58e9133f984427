"""The `backend` section: where Terraform keeps each stack's state."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from stacks.config.strict_model import StrictModel
from stacks.config.value_types import Matching, Text, unique


class LocalBackend(StrictModel):
    """State files `terraform.<stack>.tfstate` in the project root (never inside `cdktf.out/`)."""

    type: Literal["local"] = "local"


PROJECT_NAME_PATTERN = r"^[A-Za-z0-9_-]([A-Za-z0-9 _-]{0,38}[A-Za-z0-9_-])?$"
"""A Terraform Cloud project name: letters, digits, `-`, `_` and inner spaces, at most 40 characters."""


DEFAULT_CLOUD_HOSTNAME = "app.terraform.io"
"""Terraform Cloud's host, where `backend.hostname` is not given (the tfe provider's own default)."""


class CloudBackend(StrictModel):
    """Terraform Cloud / HCP Terraform: one workspace per stack, named `<workspace_prefix><stack>`."""

    type: Literal["cloud"]
    organization: Annotated[
        str,
        Matching(
            r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
            "a Terraform Cloud organization name (letters, digits, '_' and '-', at most 40 characters)",
            "acme",
        ),
    ]
    """The organization that holds the workspaces."""
    workspace_prefix: Annotated[
        str,
        Matching(
            r"^[A-Za-z0-9_-]{0,28}$", "a workspace name prefix (letters, digits, '_' and '-', at most 28)", "k8s-oidc-"
        ),
    ] = "k8s-oidc-"
    """Workspace per stack = `<workspace_prefix><stack name>`."""
    hostname: (
        Annotated[
            str,
            Matching(
                r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$",
                "a host name, optionally with a port (Terraform Enterprise)",
                "app.terraform.io",
            ),
        ]
        | None
    ) = None
    """Default: app.terraform.io (the provider's own default)."""
    project: (
        Annotated[
            str,
            Matching(
                PROJECT_NAME_PATTERN,
                "a Terraform Cloud project name (letters, digits, '-', '_' and inner spaces, at most 40 characters)",
                "Kubernetes OIDC",
            ),
        ]
        | None
    ) = None
    """Name of an existing Terraform Cloud project the `terraform-cloud` stack creates the workspaces in;
    default: the organization's default project."""
    variable_sets: Annotated[list[Text], Field(max_length=50), AfterValidator(unique)] = Field(default_factory=list)
    """Names of existing variable sets (e.g. holding provider credentials) the `terraform-cloud` stack
    attaches to every workspace; default: none."""


Backend = Annotated[LocalBackend | CloudBackend, Field(discriminator="type")]

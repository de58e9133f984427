"""The JSON Schema (draft 2020-12) of `oidc.yaml`, generated from the config model (DESIGN.md contract 8).

Editors (yaml-language-server, VS Code, IntelliJ) use it to complete keys, show each key's description
and default, and flag unknown keys and wrong types as you type. It is as strict as the model's shape;
rules that need more than one value (e.g. zones in the region, overlapping ranges) stay with
`python main.py validate`. The committed `oidc.schema.json` is this module's output (a test keeps
them equal).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field

from stacks.config.access import AccessRule
from stacks.config.clusters import ClusterConfig
from stacks.config.config_file import ConfigFile
from stacks.config.identity_providers import IdentityProviderConfig
from stacks.config.value_types import Name

SCHEMA_FILE = "oidc.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


class K8sOidcConfig(ConfigFile):
    """k8s-oidc: clusters, identity providers and who gets which role (oidc.yaml, version 1)."""

    # ConfigFile leaves the three entry sections untyped (the loader validates entry by entry, so one bad
    # entry hides nothing); the schema types them.
    identity_providers: Annotated[dict[Name, IdentityProviderConfig], Field(min_length=1)]
    """Identity providers by name; each pair stack is `<cluster>-<idp>`."""
    clusters: Annotated[dict[Name, ClusterConfig], Field(min_length=1)]
    """Clusters by name, each trusting one or more identity providers."""
    access: list[AccessRule] = Field(default_factory=list)
    """RBAC bindings, rendered into `rbac.yaml` by the render step; default none."""


def config_schema() -> dict[str, Any]:
    """The schema as a JSON object."""
    return {"$schema": DRAFT, **K8sOidcConfig.model_json_schema(mode="validation")}


def config_schema_json() -> str:
    """The schema as the text of `oidc.schema.json`: stable key order, two-space indent, final newline."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"

"""What `validate --json` prints (contract 2): every stack `synth` would make, in deploy order, as a JSON
list for CI scripts — without touching jsii. Each entry:

    {"stack": "demo-entra", "kind": "pair", "cluster": "demo", "cluster_type": "eks",
     "identity_provider": "entra", "identity_provider_type": "entra_id", "depends_on": ["demo-cluster"],
     "backend": {"type": "local", "state_file": "terraform.demo-entra.tfstate"}}

- `kind`: `terraform-cloud`, `workforce-pool`, `idp` (`<idp>-idp`, an IdP's shared application),
  `cluster` (a created cluster) or `pair`;
- `cluster`, `cluster_type` (the config's `type`), `identity_provider`, `identity_provider_type`: null
  where the stack has none (`terraform-cloud`, `workforce-pool`; an `idp` stack has no cluster, a cluster
  stack no IdP);
- `depends_on`: the stacks it is applied after (the App's stack dependencies);
- `backend`: `{"type": "local", "state_file": <path relative to the project root>}` or
  `{"type": "cloud", "organization", "hostname", "workspace"}` (`terraform-cloud` itself is local).
"""

from __future__ import annotations

import json
from typing import Literal, TypedDict

from stacks.config import DEFAULT_CLOUD_HOSTNAME, CloudBackend, Config, StackKind, local_state_file


class LocalState(TypedDict):
    type: Literal["local"]
    state_file: str


class CloudState(TypedDict):
    type: Literal["cloud"]
    organization: str
    hostname: str
    workspace: str


class PlannedStack(TypedDict):
    stack: str
    kind: str
    cluster: str | None
    cluster_type: str | None
    identity_provider: str | None
    identity_provider_type: str | None
    depends_on: list[str]
    backend: LocalState | CloudState


def planned_stacks(config: Config) -> list[PlannedStack]:
    """Every stack in the order `Config.stack_names` gives (dependencies first)."""

    def entry(name: str, kind: str, depends_on: tuple[str, ...] = ()) -> PlannedStack:
        return {
            "stack": name,
            "kind": kind,
            "cluster": None,
            "cluster_type": None,
            "identity_provider": None,
            "identity_provider_type": None,
            "depends_on": list(depends_on),
            "backend": _state(config, name),
        }

    entries: list[PlannedStack] = []
    if config.terraform_cloud_stack is not None:
        entries.append(entry(config.terraform_cloud_stack, "terraform-cloud"))
    if config.workforce_pool_stack is not None:
        entries.append(entry(config.workforce_pool_stack, "workforce-pool"))
    for stack, idp in config.application_stacks().items():
        application = entry(stack, StackKind.IDP.value)
        application["identity_provider"] = idp
        application["identity_provider_type"] = config.identity_providers[idp].type
        entries.append(application)
    for spec in config.stacks():
        planned = entry(spec.name, spec.kind.value, spec.depends_on)
        planned["cluster"] = spec.cluster
        planned["cluster_type"] = config.clusters[spec.cluster].type
        if spec.identity_provider is not None:
            planned["identity_provider"] = spec.identity_provider
            planned["identity_provider_type"] = config.identity_providers[spec.identity_provider].type
        entries.append(planned)
    return entries


def stacks_json(config: Config) -> str:
    return json.dumps(planned_stacks(config), indent=2)


def _state(config: Config, stack_name: str) -> LocalState | CloudState:
    backend = config.backend_of(stack_name)
    if isinstance(backend, CloudBackend):
        return {
            "type": "cloud",
            "organization": backend.organization,
            "hostname": backend.hostname or DEFAULT_CLOUD_HOSTNAME,
            "workspace": f"{backend.workspace_prefix}{stack_name}",
        }
    return {"type": "local", "state_file": local_state_file(stack_name)}

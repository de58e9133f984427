"""The `terraform-cloud` stack (DESIGN.md contract 7): with a cloud backend, the Terraform Cloud
workspace of every other stack, set up so that its runs work without a visit to the UI.

- one `tfe_workspace` per stack, `<workspace_prefix><stack>`, in `backend.project` when set;
- remote state sharing from each `<cluster>-cluster` and `<idp>-idp` workspace to exactly its pair
  workspaces (their cross-stack reads of the cluster or the shared application fail without it), nothing
  shared globally;
- `tfe_run_trigger`s along the App's stack dependencies (a created cluster or a shared application before
  its pairs, the workforce pool before its pairs, the chain of an EKS cluster's pairs), so an apply upstream queues
  the runs that depend on it, in deploy order;
- the Google Workspace client secret as a sensitive workspace variable of the stacks that declare it,
  its value from this stack's own sensitive variable (never in the JSON);
- `backend.variable_sets` attached to every workspace.

Its own state is local (`terraform.terraform-cloud.tfstate`): it makes the workspaces the others keep
their state in, and is applied first, by the team that owns the organization.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

from cdktf import TerraformStack, TerraformVariable
from cdktf_cdktf_provider_tfe.data_tfe_project import DataTfeProject
from cdktf_cdktf_provider_tfe.data_tfe_variable_set import DataTfeVariableSet
from cdktf_cdktf_provider_tfe.provider import TfeProvider
from cdktf_cdktf_provider_tfe.run_trigger import RunTrigger
from cdktf_cdktf_provider_tfe.variable import Variable
from cdktf_cdktf_provider_tfe.workspace import Workspace
from cdktf_cdktf_provider_tfe.workspace_settings import WorkspaceSettings
from cdktf_cdktf_provider_tfe.workspace_variable_set import WorkspaceVariableSet
from constructs import Construct

from constructs_lib.oidc import GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE, IdentityProviderType
from stacks.config import CloudBackend, Config, StackKind


class TerraformCloudStack(TerraformStack):
    def __init__(self, scope: Construct, stack_name: str, *, config: Config, stacks: Sequence[TerraformStack]) -> None:
        """`stacks`: every other stack of the App, built (their `dependencies` become run triggers)."""
        super().__init__(scope, stack_name)
        backend = config.backend
        assert isinstance(backend, CloudBackend), "only a cloud backend has workspaces to manage"
        organization = backend.organization
        TfeProvider(self, "tfe", hostname=backend.hostname, organization=organization)
        project_id = (
            DataTfeProject(self, "project", name=backend.project, organization=organization).id
            if backend.project is not None
            else None
        )
        variable_sets = {
            name: DataTfeVariableSet(self, f"variable_set_{_slug(name)}", name=name, organization=organization)
            for name in backend.variable_sets
        }
        names = [stack.node.id for stack in stacks]
        consumers = state_consumers(config)

        workspaces: dict[str, Workspace] = {}
        for name in names:
            workspaces[name] = Workspace(
                self,
                f"workspace_{name}",
                name=f"{backend.workspace_prefix}{name}",
                organization=organization,
                project_id=project_id,
                description=f"k8s-oidc stack {name} (managed by the {stack_name} stack)",
                # A person confirms every apply, also of runs that run triggers queue.
                auto_apply_run_trigger=False,
                # No run before the first `cdktf deploy` uploads the stack's configuration.
                queue_all_runs=False,
                # Deleting the workspace of a stack that still has resources is refused: destroy first.
                force_delete=False,
            )
        for name, workspace in workspaces.items():
            WorkspaceSettings(
                self,
                f"settings_{name}",
                workspace_id=workspace.id,
                auto_apply=False,
                global_remote_state=False,
                remote_state_consumer_ids=[workspaces[consumer].id for consumer in consumers.get(name, ())],
            )
        dependencies = {stack.node.id: [dependency.node.id for dependency in stack.dependencies] for stack in stacks}
        for source, target in run_triggers(dependencies):
            RunTrigger(
                self,
                f"trigger_{source}_{target}",
                sourceable_id=workspaces[source].id,
                workspace_id=workspaces[target].id,
            )
        secret_values: dict[str, str] = {}
        for name, variable in client_secret_variables(config).items():
            if variable not in secret_values:
                secret_values[variable] = TerraformVariable(
                    self,
                    variable,
                    type="string",
                    sensitive=True,
                    nullable=False,
                    description="Client secret of the Google Workspace Desktop-app OAuth client, put into the "
                    "sensitive workspace variable google_workspace_client_secret of its stacks",
                ).string_value
            Variable(
                self,
                f"{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}_{name}",
                workspace_id=workspaces[name].id,
                category="terraform",
                key=GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE,
                value=secret_values[variable],
                sensitive=True,
                description="Client secret of the Google Workspace OAuth client (set by the terraform-cloud stack)",
            )
        for set_name, variable_set in variable_sets.items():
            for name, workspace in workspaces.items():
                WorkspaceVariableSet(
                    self,
                    f"variable_set_{_slug(set_name)}_{name}",
                    variable_set_id=variable_set.id,
                    workspace_id=workspace.id,
                )


def state_consumers(config: Config) -> dict[str, list[str]]:
    """{`<cluster>-cluster` or `<idp>-idp`: the pair stacks that read it}: the only cross-stack reads the App
    makes."""
    consumers: dict[str, list[str]] = {}
    cluster_stacks = {spec.cluster: spec.name for spec in config.stacks() if spec.kind is StackKind.CLUSTER}
    for spec in config.stacks():
        if spec.kind is not StackKind.PAIR:
            continue
        application = config.application_stack(spec.cluster, spec.identity_provider)
        read = [cluster_stacks.get(spec.cluster), application]
        for stack in read:
            if stack is not None:
                consumers.setdefault(stack, []).append(spec.name)
    return consumers


def run_triggers(dependencies: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """(source, target) pairs: `target` runs after `source` applies. The transitive reduction of the
    dependency graph: a target that also depends on the source through another stack is triggered by
    that stack only, so its run starts after the one in between (a direct trigger would queue both at
    once, and EKS refuses a second identity-provider association while one is in progress)."""
    graph = {stack: set(depends_on) for stack, depends_on in dependencies.items()}

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        pending = list(graph.get(start, ()))
        while pending:
            stack = pending.pop()
            if stack not in seen:
                seen.add(stack)
                pending.extend(graph.get(stack, ()))
        return seen

    triggers: list[tuple[str, str]] = []
    for target, sources in dependencies.items():
        for source in sorted(set(sources)):
            through_others = set().union(*(reachable(other) for other in graph[target] if other != source))
            if source not in through_others:
                triggers.append((source, target))
    return triggers


def client_secret_variables(config: Config) -> dict[str, str]:
    """{pair stack: the variable of this stack that carries its Google Workspace client secret}. With one
    Google Workspace IdP (the usual case) that is `google_workspace_client_secret`; with several, each
    IdP's client has its own secret: `<idp>_google_workspace_client_secret`."""
    google = [
        name
        for name, idp in config.identity_providers.items()
        if IdentityProviderType(idp.type) is IdentityProviderType.GOOGLE_WORKSPACE
    ]
    variables = {
        idp: GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE
        if len(google) == 1
        else f"{re.sub(r'[^A-Za-z0-9_]', '_', idp)}_{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}"
        for idp in google
    }
    return {
        spec.name: variables[spec.identity_provider] for spec in config.stacks() if spec.identity_provider in variables
    }


def _slug(name: str) -> str:
    """A construct id for a variable set's name: the name itself when it is made of letters, digits, `_`
    and `-`, else those characters plus a hash of the name (so two names never share an id)."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", name):
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9_-]', '_', name)}_{digest}"

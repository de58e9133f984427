"""Build the cdktf App for a validated config: the workforce pool, the shared applications (`<idp>-idp`) and
the cluster stacks first, then one stack per pair (the pair stacks of one EKS cluster in a chain), and with a
cloud backend the `terraform-cloud` stack that manages their workspaces."""

from __future__ import annotations

from pathlib import Path

from cdktf import App, TerraformStack

from stacks.backend import configure_backend
from stacks.cluster_stack import ClusterStack
from stacks.config import Config, StackKind
from stacks.idp_stack import IdpStack
from stacks.kinds import stacks_of


def build_app(config: Config, *, outdir: Path, project_root: Path) -> App:
    app = App(outdir=str(outdir))
    built: dict[str, TerraformStack] = {}
    if config.workforce_pool_stack is not None:
        from stacks.workforce_pool_stack import WorkforcePoolStack

        built[config.workforce_pool_stack] = WorkforcePoolStack(app, config.workforce_pool_stack, config=config)
    applications: dict[str, IdpStack] = {}
    for stack_name, idp_name in config.application_stacks().items():
        built[stack_name] = applications[stack_name] = IdpStack(app, stack_name, config=config, idp_name=idp_name)
    created: dict[str, ClusterStack] = {}
    for spec in config.stacks():
        kind = stacks_of(config.clusters[spec.cluster])
        stack: TerraformStack
        if spec.kind is StackKind.CLUSTER:
            stack = created[spec.cluster] = ClusterStack(
                app, spec.name, kind=kind, config=config, cluster_key=spec.cluster
            )
        else:
            assert spec.identity_provider is not None
            application = config.application_stack(spec.cluster, spec.identity_provider)
            stack = kind.pair_stack_class()(
                app,
                spec.name,
                kind=kind,
                config=config,
                cluster_key=spec.cluster,
                idp_name=spec.identity_provider,
                created_cluster=created[spec.cluster].cluster if spec.cluster in created else None,
                shared_application=applications[application].application if application is not None else None,
            )
        # Declared in the config layer (why each one: `Config.stacks`), so `validate --json` lists the
        # very dependencies that `cdktf deploy` and the terraform-cloud stack's run triggers follow.
        for dependency in spec.depends_on:
            stack.add_dependency(built[dependency])
        built[spec.name] = stack
    if config.terraform_cloud_stack is not None:
        # Imported on use: it loads the tfe bindings, which a local backend never needs.
        from stacks.terraform_cloud_stack import TerraformCloudStack

        built[config.terraform_cloud_stack] = TerraformCloudStack(
            app, config.terraform_cloud_stack, config=config, stacks=list(built.values())
        )
    for name, built_stack in built.items():
        configure_backend(built_stack, name, config.backend_of(name), outdir=outdir, project_root=project_root)
    return app

"""Build the cdktf App for a validated config: the workforce pool and cluster stacks first, then one
stack per pair (the pair stacks of one EKS cluster in a chain), and with a cloud backend the
`terraform-cloud` stack that manages their workspaces."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cdktf import App, TerraformStack

from stacks.backend import configure_backend
from stacks.cluster_stack import ClusterStack
from stacks.config import Config, LocalBackend, StackKind
from stacks.pair_stack import PairStack

if TYPE_CHECKING:
    from stacks.workforce_pair_stack import WorkforcePairStack


def build_app(config: Config, *, outdir: Path, project_root: Path) -> App:
    app = App(outdir=str(outdir))
    pool_stack: TerraformStack | None = None
    if config.workforce_pool_stack is not None:
        from stacks.workforce_pool_stack import WorkforcePoolStack

        pool_stack = WorkforcePoolStack(app, config.workforce_pool_stack, config=config)
        configure_backend(
            pool_stack, config.workforce_pool_stack, config.backend, outdir=outdir, project_root=project_root
        )
    built: list[TerraformStack] = [pool_stack] if pool_stack is not None else []
    created: dict[str, ClusterStack] = {}
    pairs: dict[str, TerraformStack] = {}
    for spec in config.stacks():
        stack: TerraformStack
        if spec.kind is StackKind.CLUSTER:
            stack = created[spec.cluster] = ClusterStack(app, spec.name, config=config, cluster_key=spec.cluster)
        else:
            assert spec.identity_provider is not None
            workforce = config.is_workforce_cluster(spec.cluster)
            pair_stack_class: type[PairStack | WorkforcePairStack] = (
                _workforce_pair_stack_class() if workforce else PairStack
            )
            stack = pair_stack_class(
                app,
                spec.name,
                config=config,
                cluster_key=spec.cluster,
                idp_name=spec.identity_provider,
                created_cluster=created[spec.cluster].cluster if spec.cluster in created else None,
            )
            if spec.cluster in created:
                # cdktf adds this for the cross-stack reads only at synth; made explicit here, the
                # dependency is visible to the terraform-cloud stack's run triggers below.
                stack.add_dependency(created[spec.cluster])
            if workforce:
                assert pool_stack is not None
                # IAM names the pool's principals: the pool and its providers must exist first.
                stack.add_dependency(pool_stack)
            previous = config.previous_in_chain(spec)
            if previous is not None:
                # EKS refuses a second identity provider association while one runs (409
                # ResourceInUseException): `cdktf deploy '*'` applies the chain one stack at a time.
                stack.add_dependency(pairs[previous])
            pairs[spec.name] = stack
        configure_backend(stack, spec.name, config.backend, outdir=outdir, project_root=project_root)
        built.append(stack)
    if config.terraform_cloud_stack is not None:
        # Imported on use: it loads the tfe bindings, which a local backend never needs.
        from stacks.terraform_cloud_stack import TerraformCloudStack

        bootstrap = TerraformCloudStack(app, config.terraform_cloud_stack, config=config, stacks=built)
        # Local state: this stack creates the workspaces the others keep their state in.
        configure_backend(
            bootstrap, config.terraform_cloud_stack, LocalBackend(), outdir=outdir, project_root=project_root
        )
    return app


def _workforce_pair_stack_class() -> type[WorkforcePairStack]:
    # Imported on use: it loads the workforce bindings, which most configs never need.
    from stacks.workforce_pair_stack import WorkforcePairStack

    return WorkforcePairStack

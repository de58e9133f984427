"""Build the cdktf App for a validated config: cluster stacks first, then one stack per pair."""

from __future__ import annotations

from pathlib import Path

from cdktf import App

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from stacks.backend import configure_backend
from stacks.cluster_stack import ClusterStack
from stacks.config import Config, StackKind
from stacks.pair_stack import PairStack


def build_app(config: Config, *, outdir: Path, project_root: Path) -> App:
    app = App(outdir=str(outdir))
    created: dict[str, KubernetesCluster] = {}
    for spec in config.stacks():
        stack: ClusterStack | PairStack
        if spec.kind is StackKind.CLUSTER:
            stack = ClusterStack(app, spec.name, config=config, cluster_key=spec.cluster)
            created[spec.cluster] = stack.cluster
        else:
            assert spec.identity_provider is not None
            stack = PairStack(
                app,
                spec.name,
                config=config,
                cluster_key=spec.cluster,
                idp_name=spec.identity_provider,
                created_cluster=created.get(spec.cluster),
            )
        configure_backend(stack, spec.name, config.backend, outdir=outdir, project_root=project_root)
    return app

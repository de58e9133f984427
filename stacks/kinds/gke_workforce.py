"""A GKE cluster reached through Workforce Identity Federation, in the stacks: as any GKE cluster (created
without Identity Service), but its pair stacks grant the workforce pool's principals access instead of
trusting the IdP (`stacks.workforce_pair_stack`); the pool itself is the `workforce-pool` stack."""

from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from stacks.config import Config
from stacks.kinds.gke import GkeStacks


class GkeWorkforceStacks(GkeStacks):
    def pair_stack(
        self,
        scope: Construct,
        stack_name: str,
        *,
        config: Config,
        cluster_key: str,
        idp_name: str,
        created_cluster: KubernetesCluster | None,
    ) -> TerraformStack:
        # Imported on use: it loads the workforce bindings, which most configs never need.
        from stacks.workforce_pair_stack import WorkforcePairStack

        return WorkforcePairStack(
            scope,
            stack_name,
            kind=self,
            config=config,
            cluster_key=cluster_key,
            idp_name=idp_name,
            created_cluster=created_cluster,
        )

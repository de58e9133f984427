"""The stack `<cluster>-cluster` of a cluster the config creates; pair stacks reference it."""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import cluster_output
from constructs_lib.outputs import CLUSTER
from stacks.clusters import create_cluster
from stacks.config import Config, KubernetesClusterConfig
from stacks.providers import cluster_provider


class ClusterStack(TerraformStack):
    def __init__(self, scope: Construct, stack_name: str, *, config: Config, cluster_key: str) -> None:
        super().__init__(scope, stack_name)
        cluster_config = config.clusters[cluster_key]
        assert not isinstance(cluster_config, KubernetesClusterConfig), "the config never creates self-managed clusters"
        cluster_provider(self, cluster_config)
        self.cluster = create_cluster(self, cluster_key, cluster_config)
        TerraformOutput(self, CLUSTER, value=cluster_output(self.cluster))

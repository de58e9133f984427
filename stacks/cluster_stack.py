"""The stack `<cluster>-cluster` of a cluster the config creates; pair stacks reference it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import cluster_output
from constructs_lib.outputs import CLUSTER
from stacks.config import Config

if TYPE_CHECKING:
    from stacks.kinds.base import AnyClusterKindStacks


class ClusterStack(TerraformStack):
    def __init__(
        self, scope: Construct, stack_name: str, *, kind: AnyClusterKindStacks, config: Config, cluster_key: str
    ) -> None:
        """`kind`: the stack parts of the cluster's kind (`stacks.kinds`)."""
        super().__init__(scope, stack_name)
        cluster_config = config.clusters[cluster_key]
        kind.provider(self, cluster_config)
        self.cluster = kind.created_cluster(self, cluster_key, cluster_config)
        TerraformOutput(self, CLUSTER, value=cluster_output(self.cluster))

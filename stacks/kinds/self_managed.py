"""A self-managed cluster in the stacks: nothing to create or read, no provider; the cluster is known from its
config entry, and its kube-apiserver trusts an IdP through the AuthenticationConfiguration the render step
writes for its admins."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from stacks.config import KubernetesClusterConfig
from stacks.kinds.base import ClusterKindStacks


class SelfManagedStacks(ClusterKindStacks[KubernetesClusterConfig]):
    def existing_cluster(self, scope: Construct, name: str, cluster: KubernetesClusterConfig) -> KubernetesCluster:
        return cluster.cluster(name)

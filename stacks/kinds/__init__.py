"""The stacks' table of cluster kinds: what each kind puts in its stacks (provider block, cluster, trust,
pair stack), from the module named after it in this package. The kinds themselves, and the facts every layer
shares about them, are `stacks.config.cluster_kinds`."""

from __future__ import annotations

from stacks.config import ClusterConfig, ClusterKind
from stacks.kinds.aks import AksStacks
from stacks.kinds.base import AnyClusterKindStacks
from stacks.kinds.eks import EksStacks
from stacks.kinds.gke import GkeStacks
from stacks.kinds.gke_workforce import GkeWorkforceStacks
from stacks.kinds.self_managed import SelfManagedStacks

CLUSTER_KIND_STACKS: dict[ClusterKind, AnyClusterKindStacks] = {
    ClusterKind.EKS: EksStacks(),
    ClusterKind.GKE_IDENTITY_SERVICE: GkeStacks(),
    ClusterKind.GKE_WORKFORCE: GkeWorkforceStacks(),
    ClusterKind.SELF_MANAGED: SelfManagedStacks(),
    ClusterKind.AKS: AksStacks(),
}


def stacks_of(cluster: ClusterConfig) -> AnyClusterKindStacks:
    """The stack parts of the cluster's kind."""
    return CLUSTER_KIND_STACKS[cluster.kind]

"""What a cluster kind puts in the stacks: the provider block, the cluster construct (existing or created),
what makes the cluster trust an IdP, and the pair stack. The defaults suit a kind with nothing to create.

A kind's module imports its provider bindings and constructs on use, not at the top: a config that never
names a kind must not load its bindings (see `constructs_lib.provider_loading`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.idp.base import OidcIdentityProvider
from stacks.pair_stack import PairStack

if TYPE_CHECKING:
    from stacks.workforce_pair_stack import WorkforcePairStack

MANAGED_BY_TAG = {"managed-by": "k8s-oidc"}
"""The tags (AWS) and labels (Google) of everything a cluster's provider creates."""
CLUSTER_CONSTRUCT_ID = "kubernetes_cluster"
"""The cluster construct's id, in the cluster stack and in each pair stack that reads the cluster."""


Entry = TypeVar("Entry")
"""The kind's config entry (`stacks.config.clusters`)."""


class ClusterKindStacks(Generic[Entry]):
    def provider(self, scope: Construct, cluster: Entry) -> None:
        """The provider block of a stack that reads or creates the cluster, credentials from the provider's
        usual sources; default none (no API Terraform reaches)."""

    def existing_cluster(self, scope: Construct, name: str, cluster: Entry) -> KubernetesCluster:
        """The cluster `name` of the config that the config doesn't create, as each pair stack sees it."""
        raise NotImplementedError

    def created_cluster(self, scope: Construct, name: str, cluster: Entry) -> KubernetesCluster:
        """The cluster `name` the config creates, in its own stack `<cluster>-cluster`."""
        raise AssertionError(f"the config never creates a cluster of {type(self).__name__}")

    def trust(
        self, scope: Construct, entry: Entry, *, cluster: KubernetesCluster, idp: OidcIdentityProvider, idp_name: str
    ) -> None:
        """What the pair stack creates for the cluster (of config entry `entry`) to trust the IdP's tokens, with
        the props the entry builds (`trust_props`, as `validate` does); default nothing: the cluster is
        configured where Terraform can't reach, from the files the render step writes its admins."""

    def pair_stack_class(self) -> type[PairStack | WorkforcePairStack]:
        """The class of the kind's pair stacks; default `PairStack`: the IdP's client, the cluster's trust."""
        return PairStack


AnyClusterKindStacks = ClusterKindStacks[Any]

"""A GKE cluster in the stacks, reached through Identity Service for GKE: the google provider and the cluster
(read, or created with Identity Service on). The cluster trusts an IdP through its ClientConfig, which the
render step writes for the cluster's admins (Terraform can't reach inside the cluster)."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster, gcp_region
from stacks.config import GkeClusterConfig
from stacks.kinds.base import CLUSTER_CONSTRUCT_ID, MANAGED_BY_TAG, ClusterKindStacks


class GkeStacks(ClusterKindStacks[GkeClusterConfig]):
    def provider(self, scope: Construct, cluster: GkeClusterConfig) -> None:
        from cdktf_cdktf_provider_google.provider import GoogleProvider

        GoogleProvider(
            scope,
            "google",
            project=cluster.project,
            region=gcp_region(cluster.location),
            default_labels=MANAGED_BY_TAG,
        )

    def existing_cluster(self, scope: Construct, name: str, cluster: GkeClusterConfig) -> KubernetesCluster:
        from constructs_lib.cluster.gke_cluster import GkeCluster

        props = cluster.existing_props()
        return GkeCluster.from_cluster_name(
            scope, CLUSTER_CONSTRUCT_ID, cluster_name=props.cluster_name, project=props.project, location=props.location
        )

    def created_cluster(self, scope: Construct, name: str, cluster: GkeClusterConfig) -> KubernetesCluster:
        from constructs_lib.cluster.gke_cluster import GkeCluster

        return GkeCluster(scope, CLUSTER_CONSTRUCT_ID, props=cluster.created_props(name))

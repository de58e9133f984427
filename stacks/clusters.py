"""From a config entry to the cluster construct: created (in `<cluster>-cluster`), existing (read in each
pair stack), or self-managed (known from the config alone), from the props `stacks.config.props` builds.
Imports per type: see providers.py."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.eks_cluster_props import EksClusterProps, ExistingEksClusterProps
from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from stacks.config import EksClusterConfig, GkeClusterConfig, KubernetesClusterConfig
from stacks.config.props import created_cluster_props, existing_cluster_props

CONSTRUCT_ID = "kubernetes_cluster"


def create_cluster(scope: Construct, name: str, cluster: EksClusterConfig | GkeClusterConfig) -> KubernetesCluster:
    props = created_cluster_props(name, cluster)
    if isinstance(props, EksClusterProps):
        from constructs_lib.cluster.eks_cluster import EksCluster

        return EksCluster(scope, CONSTRUCT_ID, props=props)
    from constructs_lib.cluster.gke_cluster import GkeCluster

    return GkeCluster(scope, CONSTRUCT_ID, props=props)


def existing_cluster(
    scope: Construct, name: str, cluster: EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig
) -> KubernetesCluster:
    """The cluster `name` of the config: read with a data source, or, when self-managed, from the config."""
    if isinstance(cluster, KubernetesClusterConfig):
        return cluster.cluster(name)
    props = existing_cluster_props(cluster)
    if isinstance(props, ExistingEksClusterProps):
        from constructs_lib.cluster.eks_cluster import EksCluster

        return EksCluster.from_cluster_name(scope, CONSTRUCT_ID, cluster_name=props.cluster_name, region=props.region)
    from constructs_lib.cluster.gke_cluster import GkeCluster

    return GkeCluster.from_cluster_name(
        scope, CONSTRUCT_ID, cluster_name=props.cluster_name, project=props.project, location=props.location
    )

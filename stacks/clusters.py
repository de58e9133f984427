"""From a config entry to the cluster construct: created (in `<cluster>-cluster`), existing (read
in each pair stack), or self-managed (known from the config alone). Imports per type: see providers.py."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from stacks.config import EksClusterConfig, GkeAuth, GkeClusterConfig, KubernetesClusterConfig

CONSTRUCT_ID = "kubernetes_cluster"


def create_cluster(scope: Construct, name: str, cluster: EksClusterConfig | GkeClusterConfig) -> KubernetesCluster:
    if isinstance(cluster, EksClusterConfig):
        from constructs_lib.cluster.eks_cluster import EksCluster as EksClusterConstruct
        from constructs_lib.cluster.eks_cluster import EksClusterProps

        assert cluster.create is not None
        return EksClusterConstruct(
            scope,
            CONSTRUCT_ID,
            props=EksClusterProps(
                cluster_name=name,
                region=cluster.region,
                kubernetes_version=cluster.create.kubernetes_version,
                availability_zones=tuple(cluster.create.availability_zones),
                public_access_cidrs=tuple(cluster.create.public_access_cidrs),
                vpc_cidr=cluster.create.vpc_cidr,
            ),
        )
    from constructs_lib.cluster.gke_cluster import GkeCluster as GkeClusterConstruct
    from constructs_lib.cluster.gke_cluster import GkeClusterProps, ReleaseChannel

    assert cluster.create is not None
    spec = cluster.create
    return GkeClusterConstruct(
        scope,
        CONSTRUCT_ID,
        props=GkeClusterProps(
            cluster_name=name,
            project=cluster.project,
            location=cluster.location,
            subnet_cidr=spec.subnet_cidr,
            pods_cidr=spec.pods_cidr,
            services_cidr=spec.services_cidr,
            master_cidr=spec.master_cidr,
            public_access_cidrs=tuple(spec.public_access_cidrs),
            release_channel=ReleaseChannel(spec.release_channel),
            machine_type=spec.machine_type,
            node_count=spec.node_count,
            identity_service=cluster.auth is GkeAuth.IDENTITY_SERVICE,
        ),
    )


def existing_cluster(
    scope: Construct, name: str, cluster: EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig
) -> KubernetesCluster:
    """The cluster `name` of the config: read with a data source, or, when self-managed, from the config."""
    if isinstance(cluster, KubernetesClusterConfig):
        return cluster.cluster(name)
    assert cluster.cluster_name is not None
    if isinstance(cluster, EksClusterConfig):
        from constructs_lib.cluster.eks_cluster import EksCluster as EksClusterConstruct

        return EksClusterConstruct.from_cluster_name(
            scope, CONSTRUCT_ID, cluster_name=cluster.cluster_name, region=cluster.region
        )
    from constructs_lib.cluster.gke_cluster import GkeCluster as GkeClusterConstruct

    return GkeClusterConstruct.from_cluster_name(
        scope, CONSTRUCT_ID, cluster_name=cluster.cluster_name, project=cluster.project, location=cluster.location
    )

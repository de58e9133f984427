"""An EKS cluster in the stacks: the aws provider, the cluster (read, or created), and per pair stack the
cluster's OIDC identity provider config trusting the IdP."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.idp.base import OidcIdentityProvider
from stacks.config import EksClusterConfig
from stacks.kinds.base import CLUSTER_CONSTRUCT_ID, MANAGED_BY_TAG, ClusterKindStacks


class EksStacks(ClusterKindStacks[EksClusterConfig]):
    def provider(self, scope: Construct, cluster: EksClusterConfig) -> None:
        from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

        AwsProvider(scope, "aws", region=cluster.region, default_tags=[AwsProviderDefaultTags(tags=MANAGED_BY_TAG)])

    def existing_cluster(self, scope: Construct, name: str, cluster: EksClusterConfig) -> KubernetesCluster:
        from constructs_lib.cluster.eks_cluster import EksCluster

        props = cluster.existing_props()
        return EksCluster.from_cluster_name(
            scope, CLUSTER_CONSTRUCT_ID, cluster_name=props.cluster_name, region=props.region
        )

    def created_cluster(self, scope: Construct, name: str, cluster: EksClusterConfig) -> KubernetesCluster:
        from constructs_lib.cluster.eks_cluster import EksCluster

        return EksCluster(scope, CLUSTER_CONSTRUCT_ID, props=cluster.created_props(name))

    def trust(
        self,
        scope: Construct,
        entry: EksClusterConfig,
        *,
        cluster: KubernetesCluster,
        idp: OidcIdentityProvider,
        idp_name: str,
    ) -> None:
        from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider

        props = entry.trust_props(cluster, idp.oidc_config, idp_name)
        EksOidcIdentityProvider(scope, "eks_identity_provider", props=props)

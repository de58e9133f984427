"""An AKS cluster in the stacks: the azapi provider, the existing cluster read from Azure (its endpoint and CA
for the `cluster` output come from there, never from the config), and per pair stack one JWT authenticator
trusting the IdP."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.idp.base import OidcIdentityProvider
from stacks.config import AksClusterConfig
from stacks.kinds.base import CLUSTER_CONSTRUCT_ID, ClusterKindStacks


class AksStacks(ClusterKindStacks[AksClusterConfig]):
    def provider(self, scope: Construct, cluster: AksClusterConfig) -> None:
        """Credentials from `az login` or the ARM_* variables; requests go to the cluster's subscription."""
        from constructs_lib.azapi_bindings import AzapiProvider

        AzapiProvider(scope, "azapi", subscription_id=cluster.subscription_id)

    def existing_cluster(self, scope: Construct, name: str, cluster: AksClusterConfig) -> KubernetesCluster:
        from constructs_lib.cluster.aks_cluster import ExistingAksCluster

        return ExistingAksCluster(scope, CLUSTER_CONSTRUCT_ID, props=cluster.props(name))

    def trust(
        self,
        scope: Construct,
        entry: AksClusterConfig,
        *,
        cluster: KubernetesCluster,
        idp: OidcIdentityProvider,
        idp_name: str,
    ) -> None:
        from constructs_lib.cluster.aks_jwt_authenticator import AksJwtAuthenticator

        props = entry.trust_props(cluster, idp.oidc_config, idp_name)
        AksJwtAuthenticator(scope, "jwt_authenticator", props=props)

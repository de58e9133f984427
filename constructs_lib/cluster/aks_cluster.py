"""An existing AKS cluster, read from Azure: its resource id and location, and the endpoint and CA that
engineers' kubectl uses. Nothing is created: AKS clusters trust an IdP through JWT authenticators
(`AksJwtAuthenticator`), one per IdP.

The managed cluster resource carries no CA certificate, so endpoint and CA come from the kubeconfig Azure
hands out (`listClusterUserCredential`, what `az aks get-credentials` calls): Terraform decodes it
(`yamldecode(base64decode(…))`) and takes `server` and `certificate-authority-data` of its cluster entry.
That kubeconfig is exported as a sensitive value and only those two, which are no secrets, leave it.
On a cluster with Entra ID integration (`format=exec`) it holds no credential at all; on one that still
uses local accounts without Entra ID it holds the cluster user's client certificate and key, so Terraform's
state does too (as with azurerm's `kube_config`): keep the state where its readers may hold that key.
"""

from __future__ import annotations

import cdktf
from constructs import Construct

from constructs_lib.azapi_bindings import DataAzapiResource, DataAzapiResourceAction
from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.terraform_literals import escaped

MANAGED_CLUSTER_TYPE = "Microsoft.ContainerService/managedClusters"
MANAGED_CLUSTER_API_VERSION = "2025-10-01"
"""A generally available API version for reading the cluster and its user kubeconfig (no preview
registration needed for reads; the JWT authenticators take their own preview version)."""
USER_CREDENTIAL_ACTION = "listClusterUserCredential"
KUBECONFIG = "kubeconfig"
"""The name the cluster user's kubeconfig (base64) gets in the action's `sensitive_output`."""


class ExistingAksCluster(Construct):
    """A `KubernetesCluster` (and `AksClusterReference`) read from Azure.

    Attributes: `cluster` (the `azapi_resource` data source of the managed cluster) and `user_credentials`
    (the `azapi_resource_action` data source that lists the cluster user's kubeconfig).
    """

    def __init__(self, scope: Construct, id_: str, *, props: ExistingAksClusterProps) -> None:
        super().__init__(scope, id_)
        self._cluster_name = props.cluster_name
        tf = escaped(props)  # the props' strings as Terraform must read them
        self.cluster = DataAzapiResource(
            self,
            "cluster",
            type=f"{MANAGED_CLUSTER_TYPE}@{MANAGED_CLUSTER_API_VERSION}",
            name=tf.cluster_name,
            parent_id=tf.resource_group_id,
        )
        self.user_credentials = DataAzapiResourceAction(
            self,
            "user_credentials",
            type=f"{MANAGED_CLUSTER_TYPE}@{MANAGED_CLUSTER_API_VERSION}",
            resource_id=self.cluster.id,
            action=USER_CREDENTIAL_ACTION,
            # Entra ID clusters: a kubeconfig that runs Azure's kubelogin, with no credential in it.
            query_parameters={"format": ["exec"]},
            sensitive_response_export_values={KUBECONFIG: "kubeconfigs[0].value"},
        )
        kubeconfig = cdktf.Fn.yamldecode(cdktf.Fn.base64decode(self.user_credentials.sensitive_output(KUBECONFIG)))
        # Neither is a secret; nonsensitive() lets them into the (non-sensitive) `cluster` output.
        self._endpoint = cdktf.Token.as_string(
            cdktf.Fn.nonsensitive(cdktf.Fn.lookup_nested(kubeconfig, ["clusters", 0, "cluster", "server"]))
        )
        self._certificate_authority_data = cdktf.Token.as_string(
            cdktf.Fn.nonsensitive(
                cdktf.Fn.lookup_nested(kubeconfig, ["clusters", 0, "cluster", "certificate-authority-data"])
            )
        )

    @property
    def cluster_type(self) -> ClusterType:
        return ClusterType.AKS

    @property
    def cluster_name(self) -> str:
        return self._cluster_name

    @property
    def region_or_location(self) -> str:
        """The cluster's Azure location (e.g. `westeurope`), as Azure reports it."""
        return self.cluster.location

    @property
    def endpoint(self) -> str:
        """The API server's URL from the cluster user's kubeconfig (`https://<fqdn>:443`; for a private
        cluster the private FQDN, as `az aks get-credentials` gives it)."""
        return self._endpoint

    @property
    def certificate_authority_data(self) -> str:
        return self._certificate_authority_data

    @property
    def resource_id(self) -> str:
        return self.cluster.id

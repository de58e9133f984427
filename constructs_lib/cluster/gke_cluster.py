"""A GKE cluster: created with secure defaults, or an existing one read by name.

Created: a VPC and subnet (flow logs, private Google access, secondary ranges for pods and
services), a logged deny-all ingress firewall rule, Cloud Router + NAT (private nodes must reach the
IdP's discovery URL), a least-privilege node service account (not the default compute account), and
a private Standard cluster whose public endpoint only the listed CIDRs may reach, with Identity
Service on, a release channel, network policy, shielded nodes with secure boot, the GKE metadata
server, intranode visibility, Workload Identity, Binary Authorization, labels, no client
certificates, no legacy ABAC, deletion protection, and a managed node pool (auto-repair,
auto-upgrade) in place of the default pool — Identity Service runs on nodes.

Existing: `GkeCluster.from_cluster_name` reads the cluster with the `google_container_cluster` data source.
"""

from __future__ import annotations

from cdktf_cdktf_provider_google.compute_firewall import (
    ComputeFirewall,
    ComputeFirewallDeny,
    ComputeFirewallLogConfig,
)
from cdktf_cdktf_provider_google.compute_network import ComputeNetwork
from cdktf_cdktf_provider_google.compute_router import ComputeRouter
from cdktf_cdktf_provider_google.compute_router_nat import ComputeRouterNat, ComputeRouterNatLogConfig
from cdktf_cdktf_provider_google.compute_subnetwork import (
    ComputeSubnetwork,
    ComputeSubnetworkLogConfig,
    ComputeSubnetworkSecondaryIpRange,
)
from cdktf_cdktf_provider_google.container_cluster import (
    ContainerCluster,
    ContainerClusterAddonsConfig,
    ContainerClusterAddonsConfigNetworkPolicyConfig,
    ContainerClusterBinaryAuthorization,
    ContainerClusterDatabaseEncryption,
    ContainerClusterIdentityServiceConfig,
    ContainerClusterIpAllocationPolicy,
    ContainerClusterMasterAuth,
    ContainerClusterMasterAuthClientCertificateConfig,
    ContainerClusterMasterAuthorizedNetworksConfig,
    ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks,
    ContainerClusterNetworkPolicy,
    ContainerClusterNodeConfig,
    ContainerClusterNodeConfigShieldedInstanceConfig,
    ContainerClusterNodeConfigWorkloadMetadataConfig,
    ContainerClusterPrivateClusterConfig,
    ContainerClusterReleaseChannel,
    ContainerClusterWorkloadIdentityConfig,
)
from cdktf_cdktf_provider_google.container_node_pool import (
    ContainerNodePool,
    ContainerNodePoolManagement,
    ContainerNodePoolNodeConfig,
    ContainerNodePoolNodeConfigShieldedInstanceConfig,
    ContainerNodePoolNodeConfigWorkloadMetadataConfig,
)
from cdktf_cdktf_provider_google.data_google_container_cluster import DataGoogleContainerCluster
from cdktf_cdktf_provider_google.project_iam_member import ProjectIamMember
from cdktf_cdktf_provider_google.service_account import ServiceAccount
from constructs import Construct

from constructs_lib.cluster.gke_cluster_props import ExistingGkeClusterProps, GkeClusterProps
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.terraform_literals import escaped

NODE_SERVICE_ACCOUNT_ROLES = (
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
)
"""What GKE nodes need (Google's "least privilege" node service account), instead of the default
compute service account with Editor."""

SHIELDED_NODES = {"enable_secure_boot": True, "enable_integrity_monitoring": True}
NODE_IMAGE_TYPE = "COS_CONTAINERD"
"""Container-Optimized OS: a minimal, read-only, auto-updated node image."""
FIREWALL_LOWEST_PRIORITY = 65534
"""Just above the implicit deny-all (65535): every rule GKE or you add (default priority 1000) wins."""


class _GkeClusterAttributes:
    """The `KubernetesCluster` attributes shared by created and existing GKE clusters."""

    cluster_type = ClusterType.GKE
    _location: str
    _ca_certificate: str
    cluster: ContainerCluster | DataGoogleContainerCluster

    @property
    def cluster_name(self) -> str:
        return self.cluster.name

    @property
    def region_or_location(self) -> str:
        return self._location

    @property
    def endpoint(self) -> str:
        return f"https://{self.cluster.endpoint}"

    @property
    def certificate_authority_data(self) -> str:
        return self._ca_certificate


class GkeCluster(_GkeClusterAttributes, Construct):
    """A new private GKE Standard cluster with secure defaults (see the module docstring).

    Attributes: `cluster` (the `google_container_cluster`), `network`, `subnet`, `node_pool`,
    `node_service_account`.
    """

    def __init__(self, scope: Construct, id_: str, *, props: GkeClusterProps) -> None:
        super().__init__(scope, id_)
        self._location = props.location
        tf = escaped(props)  # the props' strings as Terraform must read them
        name, project, region = tf.cluster_name, tf.project, tf.region
        labels = {"managed-by": "k8s-oidc", "cluster": name}

        self.network = ComputeNetwork(
            self, "network", name=f"{name}-network", project=project, auto_create_subnetworks=False
        )
        self.subnet = ComputeSubnetwork(
            self,
            "subnet",
            name=f"{name}-subnet",
            project=project,
            region=region,
            network=self.network.id,
            ip_cidr_range=tf.subnet_cidr,
            # Private nodes reach Google APIs (image pulls, logging) without public addresses.
            private_ip_google_access=True,
            secondary_ip_range=[
                ComputeSubnetworkSecondaryIpRange(range_name="pods", ip_cidr_range=tf.pods_cidr),
                ComputeSubnetworkSecondaryIpRange(range_name="services", ip_cidr_range=tf.services_cidr),
            ],
            log_config=ComputeSubnetworkLogConfig(
                aggregation_interval="INTERVAL_5_SEC", flow_sampling=0.5, metadata="INCLUDE_ALL_METADATA"
            ),
        )
        # The network's own, logged deny-all ingress rule. It changes no behaviour (the implicit
        # rule denies too, and GKE's rules come first) but makes denied traffic visible in the logs.
        ComputeFirewall(
            self,
            "deny_ingress",
            name=f"{name}-deny-all-ingress",
            project=project,
            network=self.network.id,
            description="Deny all ingress not allowed by a higher-priority rule (GKE adds its own); logged",
            direction="INGRESS",
            priority=FIREWALL_LOWEST_PRIORITY,
            source_ranges=["0.0.0.0/0"],
            deny=[ComputeFirewallDeny(protocol="all")],
            log_config=ComputeFirewallLogConfig(metadata="INCLUDE_ALL_METADATA"),
        )
        router = ComputeRouter(
            self, "router", name=f"{name}-router", project=project, region=region, network=self.network.id
        )
        # Private nodes have no public address: Identity Service on them must still reach the IdP's
        # discovery document and keys on the internet.
        ComputeRouterNat(
            self,
            "nat",
            name=f"{name}-nat",
            project=project,
            region=region,
            router=router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
            log_config=ComputeRouterNatLogConfig(enable=True, filter="ERRORS_ONLY"),
        )
        self.node_service_account = ServiceAccount(
            self,
            "node_service_account",
            project=project,
            account_id=f"{name[:24]}-nodes".replace("--", "-"),
            display_name=f"GKE nodes of {name} (least privilege)",
        )
        for role in NODE_SERVICE_ACCOUNT_ROLES:
            ProjectIamMember(
                self,
                f"node_service_account_{role}",
                project=project,
                role=role,
                member=self.node_service_account.member,
            )
        node_settings = {
            "service_account": self.node_service_account.email,
            # Google's recommendation with a dedicated service account: the full scope, limited by IAM.
            "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
            "metadata": {"disable-legacy-endpoints": "true"},
            "image_type": NODE_IMAGE_TYPE,
            "labels": labels,
        }
        self.cluster = ContainerCluster(
            self,
            "cluster",
            name=name,
            project=project,
            location=tf.location,
            network=self.network.id,
            subnetwork=self.subnet.id,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy=ContainerClusterIpAllocationPolicy(
                cluster_secondary_range_name="pods", services_secondary_range_name="services"
            ),
            # Engineers run kubectl from their machines, so the endpoint stays public but reachable
            # only from the authorized networks below (and not from any Google Cloud VM's address).
            private_cluster_config=ContainerClusterPrivateClusterConfig(
                enable_private_nodes=True, enable_private_endpoint=False, master_ipv4_cidr_block=tf.master_cidr
            ),
            master_authorized_networks_config=ContainerClusterMasterAuthorizedNetworksConfig(
                cidr_blocks=[
                    ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks(
                        cidr_block=cidr, display_name=f"allowed-{index}"
                    )
                    for index, cidr in enumerate(tf.public_access_cidrs)
                ],
                gcp_public_cidrs_access_enabled=False,
            ),
            identity_service_config=ContainerClusterIdentityServiceConfig(enabled=tf.identity_service),
            release_channel=ContainerClusterReleaseChannel(channel=tf.release_channel.value),
            network_policy=ContainerClusterNetworkPolicy(enabled=True, provider="CALICO"),
            addons_config=ContainerClusterAddonsConfig(
                network_policy_config=ContainerClusterAddonsConfigNetworkPolicyConfig(disabled=False)
            ),
            enable_shielded_nodes=True,
            enable_intranode_visibility=True,
            enable_legacy_abac=False,
            master_auth=ContainerClusterMasterAuth(
                client_certificate_config=ContainerClusterMasterAuthClientCertificateConfig(
                    issue_client_certificate=False
                )
            ),
            workload_identity_config=ContainerClusterWorkloadIdentityConfig(workload_pool=f"{project}.svc.id.goog"),
            binary_authorization=ContainerClusterBinaryAuthorization(
                evaluation_mode="PROJECT_SINGLETON_POLICY_ENFORCE"
            ),
            database_encryption=(
                ContainerClusterDatabaseEncryption(state="ENCRYPTED", key_name=tf.secrets_encryption_key)
                if tf.secrets_encryption_key is not None
                else None
            ),
            resource_labels=labels,
            # The default pool is replaced by the managed pool below; its config still gets secure
            # values because it exists briefly while the cluster is created.
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config=ContainerClusterNodeConfig(
                **node_settings,
                shielded_instance_config=ContainerClusterNodeConfigShieldedInstanceConfig(**SHIELDED_NODES),
                workload_metadata_config=ContainerClusterNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
            ),
            deletion_protection=True,
        )
        self.node_pool = ContainerNodePool(
            self,
            "node_pool",
            name=f"{name}-pool",
            project=project,
            location=tf.location,
            cluster=self.cluster.id,
            node_count=tf.node_count,
            management=ContainerNodePoolManagement(auto_repair=True, auto_upgrade=True),
            node_config=ContainerNodePoolNodeConfig(
                **node_settings,
                machine_type=tf.machine_type,
                shielded_instance_config=ContainerNodePoolNodeConfigShieldedInstanceConfig(**SHIELDED_NODES),
                workload_metadata_config=ContainerNodePoolNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
            ),
        )
        self._ca_certificate = self.cluster.master_auth.cluster_ca_certificate

    @classmethod
    def from_cluster_name(
        cls, scope: Construct, id_: str, *, cluster_name: str, project: str, location: str
    ) -> ExistingGkeCluster:
        """An existing cluster, read with the `google_container_cluster` data source."""
        return ExistingGkeCluster(scope, id_, cluster_name=cluster_name, project=project, location=location)


class ExistingGkeCluster(_GkeClusterAttributes, Construct):
    """A GKE cluster someone else owns; only read. Switching Identity Service on is the render step's
    admin script's job (only the cluster's owner can)."""

    def __init__(self, scope: Construct, id_: str, *, cluster_name: str, project: str, location: str) -> None:
        ExistingGkeClusterProps(cluster_name=cluster_name, project=project, location=location)
        super().__init__(scope, id_)
        self._location = location
        self.cluster = DataGoogleContainerCluster(
            self, "cluster", name=escaped(cluster_name), project=escaped(project), location=escaped(location)
        )
        self._ca_certificate = self.cluster.master_auth.get(0).cluster_ca_certificate

"""GkeCluster: every secure default in the synthesised JSON, eager props validation with exact
messages, the existing-cluster data source, and snapshots of a created-cluster stack and an
existing-GKE pair stack."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cdktf
import pytest
from cluster_synth import Stack, blocks, name_of, only, ref, synth_stacks
from synth_support import new_stack, synth_json
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension
from terraform_hostile import ESCAPED, HOSTILE, evaluated

from constructs_lib.cluster.gke_cluster import (
    NODE_SERVICE_ACCOUNT_ROLES,
    ExistingGkeCluster,
    GkeCluster,
)
from constructs_lib.cluster.gke_cluster_props import GkeClusterProps, ReleaseChannel
from constructs_lib.cluster.kubernetes_cluster import ClusterType, cluster_output

PROPS = GkeClusterProps(
    cluster_name="lab",
    project="acme-lab",
    location="us-central1",
    public_access_cidrs=("203.0.113.0/24", "198.51.100.7/32"),
)
KEY = "projects/acme-lab/locations/us-central1/keyRings/gke/cryptoKeys/secrets"


def synth_cluster(props: GkeClusterProps = PROPS) -> Stack:
    stack = new_stack()
    cluster = GkeCluster(stack, "kubernetes_cluster", props=props)
    cdktf.TerraformOutput(stack, "cluster", value=cluster_output(cluster))
    return synth_json(stack)


@pytest.fixture(scope="module")
def created() -> Stack:
    return synth_cluster()


def test_the_network_has_one_subnet_with_flow_logs_and_private_google_access(created: Stack) -> None:
    network = only(created, "google_compute_network")
    assert (network["name"], network["auto_create_subnetworks"]) == ("lab-network", False)
    subnet = only(created, "google_compute_subnetwork")
    assert subnet["network"] == ref(created, "google_compute_network", "id")
    assert (subnet["region"], subnet["ip_cidr_range"]) == ("us-central1", "10.10.0.0/20")
    assert subnet["private_ip_google_access"] is True
    assert subnet["log_config"] == {
        "aggregation_interval": "INTERVAL_5_SEC",
        "flow_sampling": 0.5,
        "metadata": "INCLUDE_ALL_METADATA",
    }
    assert subnet["secondary_ip_range"] == [
        {"range_name": "pods", "ip_cidr_range": "10.20.0.0/16"},
        {"range_name": "services", "ip_cidr_range": "10.30.0.0/20"},
    ]


def test_the_network_has_its_own_logged_deny_all_ingress_rule(created: Stack) -> None:
    assert only(created, "google_compute_firewall") == {
        "name": "lab-deny-all-ingress",
        "project": "acme-lab",
        "network": ref(created, "google_compute_network", "id"),
        "description": "Deny all ingress not allowed by a higher-priority rule (GKE adds its own); logged",
        "direction": "INGRESS",
        "priority": 65534,
        "source_ranges": ["0.0.0.0/0"],
        "deny": [{"protocol": "all"}],
        "log_config": {"metadata": "INCLUDE_ALL_METADATA"},
    }


def test_private_nodes_reach_the_internet_through_cloud_nat(created: Stack) -> None:
    router = only(created, "google_compute_router")
    assert (router["region"], router["network"]) == ("us-central1", ref(created, "google_compute_network", "id"))
    nat = only(created, "google_compute_router_nat")
    assert nat["router"] == ref(created, "google_compute_router", "name")
    assert nat["source_subnetwork_ip_ranges_to_nat"] == "ALL_SUBNETWORKS_ALL_IP_RANGES"
    assert nat["log_config"] == {"enable": True, "filter": "ERRORS_ONLY"}


def test_nodes_run_as_a_least_privilege_service_account(created: Stack) -> None:
    account = only(created, "google_service_account")
    assert account["account_id"] == "lab-nodes"
    members = blocks(created, "google_project_iam_member").values()
    assert sorted(m["role"] for m in members) == sorted(NODE_SERVICE_ACCOUNT_ROLES)
    assert sorted(NODE_SERVICE_ACCOUNT_ROLES) == [
        "roles/logging.logWriter",
        "roles/monitoring.metricWriter",
        "roles/monitoring.viewer",
        "roles/stackdriver.resourceMetadata.writer",
    ]
    assert {m["member"] for m in members} == {ref(created, "google_service_account", "member")}
    email = ref(created, "google_service_account", "email")
    assert only(created, "google_container_cluster")["node_config"]["service_account"] == email
    assert only(created, "google_container_node_pool")["node_config"]["service_account"] == email


def test_the_cluster_is_private_with_a_restricted_public_endpoint(created: Stack) -> None:
    cluster = only(created, "google_container_cluster")
    assert cluster["private_cluster_config"] == {
        "enable_private_nodes": True,
        "enable_private_endpoint": False,
        "master_ipv4_cidr_block": "172.16.0.0/28",
    }
    assert cluster["master_authorized_networks_config"] == {
        "cidr_blocks": [
            {"cidr_block": "203.0.113.0/24", "display_name": "allowed-0"},
            {"cidr_block": "198.51.100.7/32", "display_name": "allowed-1"},
        ],
        "gcp_public_cidrs_access_enabled": False,
    }
    assert cluster["networking_mode"] == "VPC_NATIVE"
    assert cluster["ip_allocation_policy"] == {
        "cluster_secondary_range_name": "pods",
        "services_secondary_range_name": "services",
    }


def test_identity_service_and_the_hardening_settings_are_on(created: Stack) -> None:
    cluster = only(created, "google_container_cluster")
    assert cluster["identity_service_config"] == {"enabled": True}
    assert cluster["release_channel"] == {"channel": "REGULAR"}
    assert cluster["network_policy"] == {"enabled": True, "provider": "CALICO"}
    assert cluster["addons_config"] == {"network_policy_config": {"disabled": False}}
    assert cluster["enable_shielded_nodes"] is True
    assert cluster["enable_intranode_visibility"] is True
    assert cluster["enable_legacy_abac"] is False
    assert cluster["master_auth"] == {"client_certificate_config": {"issue_client_certificate": False}}
    assert cluster["workload_identity_config"] == {"workload_pool": "acme-lab.svc.id.goog"}
    assert cluster["binary_authorization"] == {"evaluation_mode": "PROJECT_SINGLETON_POLICY_ENFORCE"}
    assert cluster["resource_labels"] == {"managed-by": "k8s-oidc", "cluster": "lab"}
    assert cluster["deletion_protection"] is True
    assert "database_encryption" not in cluster


def test_the_default_pool_is_replaced_by_a_managed_hardened_pool(created: Stack) -> None:
    cluster = only(created, "google_container_cluster")
    assert cluster["remove_default_node_pool"] is True
    pool = only(created, "google_container_node_pool")
    assert pool["cluster"] == ref(created, "google_container_cluster", "id")
    assert (pool["location"], pool["node_count"]) == ("us-central1", 1)
    assert pool["management"] == {"auto_repair": True, "auto_upgrade": True}
    for node_config in (cluster["node_config"], pool["node_config"]):
        assert node_config["shielded_instance_config"] == {
            "enable_secure_boot": True,
            "enable_integrity_monitoring": True,
        }
        assert node_config["workload_metadata_config"] == {"mode": "GKE_METADATA"}
        assert node_config["image_type"] == "COS_CONTAINERD"
        assert node_config["metadata"] == {"disable-legacy-endpoints": "true"}
        assert node_config["labels"] == {"managed-by": "k8s-oidc", "cluster": "lab"}
    assert pool["node_config"]["machine_type"] == "e2-standard-2"


def test_choices_reach_the_cluster_and_pool() -> None:
    props = dataclasses.replace(
        PROPS,
        location="europe-west1-b",
        release_channel=ReleaseChannel.STABLE,
        machine_type="n2-standard-4",
        node_count=3,
        secrets_encryption_key=KEY,
    )
    stack = synth_cluster(props)
    cluster = only(stack, "google_container_cluster")
    assert cluster["location"] == "europe-west1-b"
    assert only(stack, "google_compute_subnetwork")["region"] == "europe-west1"
    assert cluster["release_channel"] == {"channel": "STABLE"}
    assert cluster["database_encryption"] == {"state": "ENCRYPTED", "key_name": KEY}
    pool = only(stack, "google_container_node_pool")
    assert (pool["node_config"]["machine_type"], pool["node_count"]) == ("n2-standard-4", 3)


def test_the_cluster_output_has_an_https_endpoint(created: Stack) -> None:
    cluster = name_of(created, "google_container_cluster")
    assert created["output"]["cluster"]["value"] == {
        "name": f"${{google_container_cluster.{cluster}.name}}",
        "type": "gke",
        "region_or_location": "us-central1",
        "endpoint": f"https://${{google_container_cluster.{cluster}.endpoint}}",
        "certificate_authority_data": f"${{google_container_cluster.{cluster}.master_auth[0].cluster_ca_certificate}}",
    }


def test_an_existing_cluster_is_only_read() -> None:
    stack = new_stack()
    cluster = GkeCluster.from_cluster_name(
        stack, "kubernetes_cluster", cluster_name="data-cluster", project="acme-data", location="us-west1"
    )
    assert isinstance(cluster, ExistingGkeCluster)
    assert cluster.cluster_type is ClusterType.GKE
    cdktf.TerraformOutput(stack, "cluster", value=cluster_output(cluster))
    synthesised = synth_json(stack)
    assert "resource" not in synthesised
    assert only(synthesised, "google_container_cluster", kind="data") == {
        "name": "data-cluster",
        "project": "acme-data",
        "location": "us-west1",
    }
    data = f"data.google_container_cluster.{name_of(synthesised, 'google_container_cluster', kind='data')}"
    assert synthesised["output"]["cluster"]["value"] == {
        "name": f"${{{data}.name}}",
        "type": "gke",
        "region_or_location": "us-west1",
        "endpoint": f"https://${{{data}.endpoint}}",
        "certificate_authority_data": f"${{{data}.master_auth[0].cluster_ca_certificate}}",
    }


def test_tokens_are_left_to_terraform() -> None:
    stack = new_stack()
    location = cdktf.TerraformVariable(stack, "location", type="string").string_value
    cidr = cdktf.TerraformVariable(stack, "cidr", type="string").string_value
    GkeCluster(
        stack, "kubernetes_cluster", props=dataclasses.replace(PROPS, location=location, public_access_cidrs=(cidr,))
    )
    cluster = only(synth_json(stack), "google_container_cluster")
    assert cluster["location"] == "${var.location}"
    assert cluster["master_authorized_networks_config"]["cidr_blocks"] == [
        {"cidr_block": "${var.cidr}", "display_name": "allowed-0"}
    ]


GKE_CONFIG = """
version: 1
identity_providers:
  gws: {type: google_workspace, client_id: 1234567890-abcdefghijklmnop.apps.googleusercontent.com}
  jc: {type: jumpcloud, client_id: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b}
clusters:
  data:
    type: gke
    project: acme-data
    location: us-west1
    cluster_name: data-cluster
    identity_providers: [gws]
  lab:
    type: gke
    project: acme-lab
    location: us-central1
    create:
      public_access_cidrs: [203.0.113.0/24]
    identity_providers: [jc]
"""


@pytest.fixture
def gke_stacks(tmp_path: Path) -> dict[str, Stack]:
    return synth_stacks(GKE_CONFIG, tmp_path)


def test_snapshot_of_a_created_gke_cluster_stack(gke_stacks: dict[str, Stack], snapshot: SnapshotAssertion) -> None:
    stack = gke_stacks["lab-cluster"]
    assert only(stack, "google_container_cluster")["identity_service_config"] == {"enabled": True}
    assert stack == snapshot(extension_class=JSONSnapshotExtension)


def test_snapshot_of_an_existing_gke_pair_stack(gke_stacks: dict[str, Stack], snapshot: SnapshotAssertion) -> None:
    stack = gke_stacks["data-gws"]
    assert only(stack, "google_container_cluster", kind="data")["name"] == "data-cluster"
    assert "resource" not in stack  # Identity Service is configured in the cluster, by the admin script
    assert stack == snapshot(extension_class=JSONSnapshotExtension)


def test_every_literal_string_reaches_terraform_as_itself_and_tokens_stay_tokens() -> None:
    """Library use: a value holding a token skips the props' checks, and a machine type has none."""
    stack = new_stack()
    project = cdktf.TerraformVariable(stack, "project", type="string").string_value
    props = dataclasses.replace(PROPS, project=f"{HOSTILE}{project}", machine_type=HOSTILE)
    GkeCluster(stack, "kubernetes_cluster", props=props)
    document = synth_json(stack)
    assert evaluated(document) == []
    written = f"{ESCAPED}${{var.project}}"
    assert only(document, "google_container_node_pool")["node_config"]["machine_type"] == ESCAPED
    cluster = only(document, "google_container_cluster")
    assert cluster["project"] == written
    assert cluster["workload_identity_config"] == {"workload_pool": f"{written}.svc.id.goog"}
    assert only(document, "google_compute_network")["project"] == written


def test_an_existing_clusters_reference_reaches_terraform_as_itself() -> None:
    stack = new_stack()
    token = cdktf.TerraformVariable(stack, "v", type="string").string_value
    hostile = f"{HOSTILE}{token}"
    GkeCluster.from_cluster_name(stack, "kubernetes_cluster", cluster_name=hostile, project=hostile, location=hostile)
    written = f"{ESCAPED}${{var.v}}"
    assert only(synth_json(stack), "google_container_cluster", kind="data") == {
        "name": written,
        "project": written,
        "location": written,
    }

"""The `cluster` output (contract 4) is built the same way from any `KubernetesCluster`."""

from __future__ import annotations

from dataclasses import dataclass

from terraform_hostile import ESCAPED, HOSTILE

from constructs_lib.cluster.kubernetes_cluster import ClusterType, KubernetesCluster, cluster_output


@dataclass(frozen=True)
class _Cluster:
    """A cluster known only by its attributes, as a library user might supply one."""

    cluster_type: ClusterType
    cluster_name: str
    region_or_location: str
    endpoint: str
    certificate_authority_data: str


def test_the_cluster_output_has_exactly_the_contract_keys() -> None:
    cluster: KubernetesCluster = _Cluster(
        cluster_type=ClusterType.GKE,
        cluster_name="lab",
        region_or_location="us-central1-a",
        endpoint="https://203.0.113.10",
        certificate_authority_data="LS0tLS1CRUdJTg==",
    )
    assert cluster_output(cluster) == {
        "name": "lab",
        "type": "gke",
        "region_or_location": "us-central1-a",
        "endpoint": "https://203.0.113.10",
        "certificate_authority_data": "LS0tLS1CRUdJTg==",
    }


def test_cluster_types_are_the_contract_strings() -> None:
    assert [t.value for t in ClusterType] == ["eks", "gke", "kubernetes", "aks"]


def test_the_cluster_output_writes_every_string_as_terraform_must_read_it() -> None:
    cluster = _Cluster(
        cluster_type=ClusterType.KUBERNETES,
        cluster_name=HOSTILE,
        region_or_location=HOSTILE,
        endpoint=f"https://k8s.example.com/{HOSTILE}",
        certificate_authority_data=HOSTILE,
    )
    assert cluster_output(cluster) == {
        "name": ESCAPED,
        "type": "kubernetes",
        "region_or_location": ESCAPED,
        "endpoint": f"https://k8s.example.com/{ESCAPED}",
        "certificate_authority_data": ESCAPED,
    }

"""Every cluster of a config has one kind, and the kind's facts agree with the config entry it comes from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from synth_support import config_from_text

from stacks.config import ClusterConfig
from stacks.config.cluster_kinds import CLUSTER_KINDS, ClusterKind, SignIn

CA_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "pki" / "onprem-ca.crt"

CONFIG = """\
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: abc, workforce_client_id: web}
google_workforce_pool: {organization_id: "123456789012", pool_id: k8s-engineers}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
  data: {type: gke, project: acme-data, location: us-west1, cluster_name: data, identity_providers: [jc]}
  lab: {type: gke, auth: workforce_identity, project: acme-lab, location: us-west1, cluster_name: lab,
        identity_providers: [jc]}
  onprem: {type: kubernetes, endpoint: "https://k8s.example.com:6443", certificate_authority_file: ca.crt,
           identity_providers: [jc]}
"""


@pytest.fixture
def clusters(tmp_path: Path) -> dict[str, ClusterConfig]:
    shutil.copy(CA_FILE, tmp_path / "ca.crt")
    return config_from_text(CONFIG, tmp_path).clusters


def test_each_cluster_has_its_kind(clusters: dict[str, ClusterConfig]) -> None:
    assert {name: cluster.kind for name, cluster in clusters.items()} == {
        "prod": ClusterKind.EKS,
        "data": ClusterKind.GKE_IDENTITY_SERVICE,
        "lab": ClusterKind.GKE_WORKFORCE,
        "onprem": ClusterKind.SELF_MANAGED,
    }


def test_a_kinds_facts_match_the_entries_of_that_kind(clusters: dict[str, ClusterConfig]) -> None:
    for cluster in clusters.values():
        assert CLUSTER_KINDS[cluster.kind].config_type == cluster.type


def test_every_kind_has_facts_and_only_workforce_signs_in_through_gcloud() -> None:
    assert set(CLUSTER_KINDS) == set(ClusterKind)
    assert {kind for kind, facts in CLUSTER_KINDS.items() if facts.sign_in is SignIn.GCLOUD} == {
        ClusterKind.GKE_WORKFORCE
    }

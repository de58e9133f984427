"""Every cluster of a config has one kind, and the kind's facts agree with the config entry it comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacks.config import ClusterConfig, load_config
from stacks.config.cluster_kinds import CLUSTER_KINDS, ClusterKind, SignIn

EVERY_KIND = Path(__file__).resolve().parents[2] / "fixtures" / "cluster_kinds.yaml"


@pytest.fixture
def clusters() -> dict[str, ClusterConfig]:
    return load_config(EVERY_KIND).clusters


def test_each_cluster_has_its_kind(clusters: dict[str, ClusterConfig]) -> None:
    assert {name: cluster.kind for name, cluster in clusters.items()} == {
        "prod": ClusterKind.EKS,
        "data": ClusterKind.GKE_IDENTITY_SERVICE,
        "lab": ClusterKind.GKE_WORKFORCE,
        "onprem": ClusterKind.SELF_MANAGED,
        "apps": ClusterKind.AKS,
    }


def test_a_kinds_facts_match_the_entries_of_that_kind(clusters: dict[str, ClusterConfig]) -> None:
    for cluster in clusters.values():
        assert CLUSTER_KINDS[cluster.kind].config_type == cluster.type


def test_every_kind_has_facts_and_only_workforce_signs_in_through_gcloud() -> None:
    assert set(CLUSTER_KINDS) == set(ClusterKind)
    assert {kind for kind, facts in CLUSTER_KINDS.items() if facts.sign_in is SignIn.GCLOUD} == {
        ClusterKind.GKE_WORKFORCE
    }

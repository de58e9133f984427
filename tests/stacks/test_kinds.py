"""The stacks' table of cluster kinds (`stacks.kinds`): every kind has its stack parts, and each kind's parts
put what the kind needs in a stack and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import cdktf
import pytest
from synth_support import new_stack

from stacks.config import ClusterKind, Config, load_config
from stacks.kinds import CLUSTER_KIND_STACKS, stacks_of
from stacks.pair_stack import PairStack

EVERY_KIND = Path(__file__).resolve().parents[1] / "fixtures" / "cluster_kinds.yaml"
CLUSTER_OF_KIND = {
    ClusterKind.EKS: "prod",
    ClusterKind.GKE_IDENTITY_SERVICE: "data",
    ClusterKind.GKE_WORKFORCE: "lab",
    ClusterKind.SELF_MANAGED: "onprem",
    ClusterKind.AKS: "apps",
}


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(EVERY_KIND)


def test_every_kind_has_its_stack_parts(config: Config) -> None:
    assert set(CLUSTER_KIND_STACKS) == set(ClusterKind) == set(CLUSTER_OF_KIND)
    for kind, name in CLUSTER_OF_KIND.items():
        assert stacks_of(config.clusters[name]) is CLUSTER_KIND_STACKS[kind]


@pytest.mark.parametrize(
    ("kind", "provider", "cluster_data"),
    [
        (ClusterKind.EKS, ["aws"], ["aws_eks_cluster"]),
        (ClusterKind.GKE_IDENTITY_SERVICE, ["google"], ["google_container_cluster"]),
        (ClusterKind.GKE_WORKFORCE, ["google"], ["google_container_cluster"]),
        (ClusterKind.SELF_MANAGED, [], []),
        (ClusterKind.AKS, ["azapi"], ["azapi_resource", "azapi_resource_action"]),
    ],
)
def test_a_kinds_provider_and_existing_cluster(
    config: Config, kind: ClusterKind, provider: list[str], cluster_data: list[str]
) -> None:
    name = CLUSTER_OF_KIND[kind]
    stack = new_stack()
    parts = CLUSTER_KIND_STACKS[kind]
    parts.provider(stack, config.clusters[name])
    cluster = parts.existing_cluster(stack, name, config.clusters[name])
    synthesised = json.loads(cdktf.Testing.synth(stack))
    assert sorted(synthesised.get("provider", {})) == provider
    assert sorted(synthesised.get("data", {})) == cluster_data
    assert cluster.cluster_type.value == config.clusters[name].facts.output_type.value


def test_only_the_workforce_kind_makes_another_pair_stack(config: Config) -> None:
    pair_stacks = {}
    for kind, name in CLUSTER_OF_KIND.items():
        parts = CLUSTER_KIND_STACKS[kind]
        stack = parts.pair_stack_class()(
            cdktf.App(), "pair", kind=parts, config=config, cluster_key=name, idp_name="jc", created_cluster=None
        )
        pair_stacks[kind] = type(stack).__name__
    assert {kind for kind, stack in pair_stacks.items() if stack != PairStack.__name__} == {ClusterKind.GKE_WORKFORCE}
    assert pair_stacks[ClusterKind.GKE_WORKFORCE] == "WorkforcePairStack"


def test_a_self_managed_cluster_is_never_created(config: Config) -> None:
    with pytest.raises(AssertionError):
        CLUSTER_KIND_STACKS[ClusterKind.SELF_MANAGED].created_cluster(new_stack(), "onprem", config.clusters["onprem"])

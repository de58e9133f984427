"""ExistingAksClusterProps (constructs_lib/cluster/aks_cluster_props.py): Azure's rules for a subscription
id, a resource group name and an AKS cluster name, each refusal with the value, the rule and an example;
every refused value named at once; tokens left to Azure."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
from constructs_lib.props_error import PropsError

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
NOT_A_SUBSCRIPTION = (
    "is not an Azure subscription id: a UUID such as '00000000-0000-0000-0000-000000000000' "
    "(`az account show --query id -o tsv` prints yours)"
)
NOT_A_GROUP = (
    "is not an Azure resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'; "
    "e.g. 'rg-apps'"
)
NOT_A_CLUSTER = (
    "is not an AKS cluster name: 1 to 63 letters, digits, '-' and '_', starting and ending with a letter or digit; "
    "e.g. 'apps-aks'"
)


def props(**overrides: Any) -> ExistingAksClusterProps:
    return ExistingAksClusterProps(
        **{"subscription_id": SUBSCRIPTION, "resource_group": "rg-apps", "cluster_name": "apps-aks", **overrides}
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subscription_id": "acme-prod"}, f"subscription_id 'acme-prod' {NOT_A_SUBSCRIPTION}"),
        ({"subscription_id": SUBSCRIPTION[:-1]}, f"subscription_id {SUBSCRIPTION[:-1]!r} {NOT_A_SUBSCRIPTION}"),
        ({"subscription_id": f"{{{SUBSCRIPTION}}}"}, f"subscription_id '{{{SUBSCRIPTION}}}' {NOT_A_SUBSCRIPTION}"),
        ({"resource_group": ""}, f"resource_group '' {NOT_A_GROUP}"),
        ({"resource_group": "rg apps"}, f"resource_group 'rg apps' {NOT_A_GROUP}"),
        ({"resource_group": "rg/apps"}, f"resource_group 'rg/apps' {NOT_A_GROUP}"),
        ({"resource_group": "rg-apps."}, f"resource_group 'rg-apps.' {NOT_A_GROUP}"),
        ({"resource_group": "r" * 91}, f"resource_group {'r' * 91!r} {NOT_A_GROUP}"),
        ({"cluster_name": ""}, f"cluster_name '' {NOT_A_CLUSTER}"),
        ({"cluster_name": "-apps"}, f"cluster_name '-apps' {NOT_A_CLUSTER}"),
        ({"cluster_name": "apps_"}, f"cluster_name 'apps_' {NOT_A_CLUSTER}"),
        ({"cluster_name": "apps.aks"}, f"cluster_name 'apps.aks' {NOT_A_CLUSTER}"),
        ({"cluster_name": "a" * 64}, f"cluster_name {'a' * 64!r} {NOT_A_CLUSTER}"),
    ],
)
def test_props_refuse_with_the_value_the_rule_and_an_example(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(PropsError) as error:
        props(**overrides)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"subscription_id": "A1B2C3D4-E5F6-0718-293A-4B5C6D7E8F90"},
        {"resource_group": "r"},
        {"resource_group": "r" * 90},
        {"resource_group": "Team_(Apps).West-1"},
        {"resource_group": "grupo-producción"},
        {"cluster_name": "a"},
        {"cluster_name": "A" * 63},
        {"cluster_name": "Apps_aks-1"},
    ],
)
def test_what_azure_takes_is_accepted(overrides: dict[str, Any]) -> None:
    assert props(**overrides)


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        props(subscription_id="x", resource_group="rg.", cluster_name="-")
    assert [problem.field for problem in raised.value.problems] == ["subscription_id", "resource_group", "cluster_name"]


def test_tokens_are_left_to_azure() -> None:
    token = "${TfToken[TOKEN.9]}"
    assert props(subscription_id=token, resource_group=token, cluster_name=token)


def test_the_resource_group_id_is_the_clusters_parent() -> None:
    assert props().resource_group_id == f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-apps"

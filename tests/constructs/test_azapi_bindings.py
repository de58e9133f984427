"""The hand-made azure/azapi bindings: each block synthesises with the arguments given (and none that
were left out), the provider is required from its registry source at the chosen version, and the module
loads no provider package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cluster_synth import only
from synth_support import new_stack, synth_json

from constructs_lib.azapi_bindings import (
    AZAPI_PROVIDER_SOURCE,
    AZAPI_VERSION_CONSTRAINT,
    AzapiProvider,
    AzapiResource,
    DataAzapiResource,
    DataAzapiResourceAction,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CLUSTER_ID = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"


def test_the_provider_is_required_from_azure_azapi_at_2_12_or_a_later_2_x() -> None:
    stack = new_stack()
    AzapiProvider(stack, "azapi", subscription_id="00000000-0000-0000-0000-000000000000")
    document = synth_json(stack)
    assert (AZAPI_PROVIDER_SOURCE, AZAPI_VERSION_CONSTRAINT) == ("azure/azapi", "~> 2.12")
    assert document["terraform"]["required_providers"] == {"azapi": {"source": "azure/azapi", "version": "~> 2.12"}}
    assert document["provider"] == {"azapi": [{"subscription_id": "00000000-0000-0000-0000-000000000000"}]}


def test_a_provider_without_settings_is_an_empty_block() -> None:
    stack = new_stack()
    AzapiProvider(stack, "azapi")
    assert synth_json(stack)["provider"] == {"azapi": [{}]}


def test_each_block_carries_its_arguments_and_none_left_out() -> None:
    stack = new_stack()
    DataAzapiResource(stack, "cluster", type="T@1", name="c", parent_id="/subscriptions/0/resourceGroups/rg")
    DataAzapiResource(
        stack, "exported", type="T@1", name="c", parent_id="/p", response_export_values={"fqdn": "properties.fqdn"}
    )
    DataAzapiResourceAction(
        stack,
        "action",
        type="T@1",
        resource_id=CLUSTER_ID,
        action="listClusterUserCredential",
        query_parameters={"format": ["exec"]},
        sensitive_response_export_values={"kubeconfig": "kubeconfigs[0].value"},
    )
    AzapiResource(stack, "plain", type="R@2", name="n", parent_id=CLUSTER_ID, body={"properties": {"a": [1]}})
    AzapiResource(
        stack,
        "locked",
        type="R@2",
        name="m",
        parent_id=CLUSTER_ID,
        body={"properties": {}},
        locks=[CLUSTER_ID],
        schema_validation_enabled=False,
    )
    document = synth_json(stack)
    data = document["data"]
    assert data["azapi_resource"]["cluster"] == {
        "type": "T@1",
        "name": "c",
        "parent_id": "/subscriptions/0/resourceGroups/rg",
    }
    assert data["azapi_resource"]["exported"]["response_export_values"] == {"fqdn": "properties.fqdn"}
    assert only(document, "azapi_resource_action", kind="data") == {
        "type": "T@1",
        "resource_id": CLUSTER_ID,
        "action": "listClusterUserCredential",
        "query_parameters": {"format": ["exec"]},
        "sensitive_response_export_values": {"kubeconfig": "kubeconfigs[0].value"},
    }
    resources = document["resource"]["azapi_resource"]
    assert resources["plain"] == {
        "type": "R@2",
        "name": "n",
        "parent_id": CLUSTER_ID,
        "body": {"properties": {"a": [1]}},
    }
    assert (resources["locked"]["locks"], resources["locked"]["schema_validation_enabled"]) == ([CLUSTER_ID], False)


def test_attributes_are_references_to_the_blocks() -> None:
    stack = new_stack()
    cluster = DataAzapiResource(stack, "cluster", type="T@1", name="c", parent_id="/p")
    action = DataAzapiResourceAction(stack, "action", type="T@1", resource_id=cluster.id, action="list")
    AzapiResource(stack, "r", type="R@2", name="n", parent_id=cluster.id, body={"location": cluster.location})
    AzapiResource(stack, "s", type="R@2", name="n", parent_id="/p", body={"k": action.sensitive_output("kubeconfig")})
    document = synth_json(stack)
    assert document["data"]["azapi_resource_action"]["action"]["resource_id"] == "${data.azapi_resource.cluster.id}"
    assert document["resource"]["azapi_resource"]["r"]["body"] == {
        "location": "${data.azapi_resource.cluster.location}"
    }
    assert document["resource"]["azapi_resource"]["s"]["body"] == {
        "k": "${data.azapi_resource_action.action.sensitive_output.kubeconfig}"
    }


def test_the_bindings_load_cdktf_and_no_provider_package() -> None:
    probe = (
        "import sys; from constructs_lib.runtime import prepare_jsii_runtime; prepare_jsii_runtime(); "
        "import constructs_lib.azapi_bindings; "
        "print(sorted(m for m in sys.modules if m.startswith('cdktf_cdktf_provider_') and '.' in m))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"

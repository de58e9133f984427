"""ExistingAksCluster: the cluster is read from Azure (never typed by hand), the `cluster` output takes its
endpoint and CA from the cluster user's kubeconfig and its location from the cluster, and the Terraform
expressions that decode the kubeconfig are run by the real terraform on a kubeconfig as AKS returns it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cdktf import TerraformOutput, TerraformVariable
from cluster_synth import Stack, name_of, only, ref
from idp_synth import resolve
from synth_support import new_stack, synth_json
from terraform_hostile import ESCAPED, HOSTILE, evaluated
from tool_support import require_tool

from constructs_lib.cluster.aks_cluster import ExistingAksCluster
from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
from constructs_lib.cluster.kubernetes_cluster import ClusterType, cluster_output

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
CA_DATA = base64.b64encode(CA_PEM).decode()
SERVER = "https://apps-aks-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443"
# What `listClusterUserCredential?format=exec` returns (base64) for an Entra ID cluster: no credential.
ENTRA_KUBECONFIG = f"""apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {CA_DATA}
    server: {SERVER}
  name: apps-aks
contexts:
- context:
    cluster: apps-aks
    user: clusterUser_rg-apps_apps-aks
  name: apps-aks
current-context: apps-aks
kind: Config
preferences: {{}}
users:
- name: clusterUser_rg-apps_apps-aks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - 6dae42f8-4368-4678-94ff-3960e28e3630
      - --client-id
      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
      - --tenant-id
      - 11111111-2222-3333-4444-555555555555
      - --login
      - devicecode
      command: kubelogin
      env: null
      installHint: install kubelogin
      provideClusterInfo: false
"""


def synth_cluster(**overrides: Any) -> tuple[ExistingAksCluster, Stack]:
    stack = new_stack()
    values = {"subscription_id": SUBSCRIPTION, "resource_group": "rg-apps", "cluster_name": "apps-aks", **overrides}
    cluster = ExistingAksCluster(stack, "aks", props=ExistingAksClusterProps(**values))
    TerraformOutput(stack, "cluster", value=cluster_output(cluster))
    return cluster, synth_json(stack)


def test_the_cluster_is_read_by_name_in_its_resource_group() -> None:
    cluster, stack = synth_cluster()
    assert only(stack, "azapi_resource", kind="data") == {
        "type": "Microsoft.ContainerService/managedClusters@2025-10-01",
        "name": "apps-aks",
        "parent_id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-apps",
    }
    assert "resource" not in stack
    assert (cluster.cluster_type, cluster.cluster_name) == (ClusterType.AKS, "apps-aks")


def test_the_user_kubeconfig_is_read_as_a_sensitive_value_in_exec_format() -> None:
    _, stack = synth_cluster()
    assert only(stack, "azapi_resource_action", kind="data") == {
        "type": "Microsoft.ContainerService/managedClusters@2025-10-01",
        "resource_id": ref(stack, "azapi_resource", "id", kind="data"),
        "action": "listClusterUserCredential",
        "query_parameters": {"format": ["exec"]},
        "sensitive_response_export_values": {"kubeconfig": "kubeconfigs[0].value"},
    }
    # Only the sensitive export: a plain `output` would show the kubeconfig in plans and logs.
    assert "response_export_values" not in only(stack, "azapi_resource_action", kind="data")


def test_the_cluster_output_comes_from_azure() -> None:
    cluster, stack = synth_cluster()
    action = name_of(stack, "azapi_resource_action", kind="data")
    kubeconfig = f"yamldecode(base64decode(data.azapi_resource_action.{action}.sensitive_output.kubeconfig))"
    assert stack["output"]["cluster"]["value"] == {
        "name": "apps-aks",
        "type": "aks",
        "region_or_location": ref(stack, "azapi_resource", "location", kind="data"),
        "endpoint": f"${{nonsensitive({kubeconfig}.clusters.0.cluster.server)}}",
        "certificate_authority_data": (
            f'${{nonsensitive({kubeconfig}.clusters.0.cluster["certificate-authority-data"])}}'
        ),
    }
    assert stack["output"]["cluster"].get("sensitive") is None
    assert resolve(cluster, cluster.resource_id) == ref(stack, "azapi_resource", "id", kind="data")


def test_tokens_become_references_and_the_rest_stays_text() -> None:
    """Library use: values may be tokens (the props leave them to Azure); Terraform evaluates nothing else."""
    stack = new_stack()
    group = TerraformVariable(stack, "group", type="string").string_value
    name = TerraformVariable(stack, "name", type="string").string_value
    ExistingAksCluster(
        stack,
        "aks",
        props=ExistingAksClusterProps(subscription_id=SUBSCRIPTION, resource_group=group, cluster_name=name),
    )
    document = synth_json(stack)
    assert only(document, "azapi_resource", kind="data") == {
        "type": "Microsoft.ContainerService/managedClusters@2025-10-01",
        "name": "${var.name}",
        "parent_id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/${{var.group}}",
    }
    assert evaluated(document) == []


def test_the_construct_escapes_even_what_its_props_would_refuse() -> None:
    """Defence in depth: props changed after their checks (as a library user could) still reach Terraform
    as text."""
    props = ExistingAksClusterProps(subscription_id=SUBSCRIPTION, resource_group="rg-apps", cluster_name="apps-aks")
    object.__setattr__(props, "resource_group", HOSTILE)
    object.__setattr__(props, "cluster_name", HOSTILE)
    stack = new_stack()
    ExistingAksCluster(stack, "aks", props=props)
    document = synth_json(stack)
    assert evaluated(document) == []
    assert only(document, "azapi_resource", kind="data")["name"] == ESCAPED


def terraform_apply(folder: Path, document: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    terraform = require_tool("terraform")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf.json").write_text(json.dumps(document), encoding="utf-8")
    cli_config = folder / "terraformrc"
    cli_config.write_text("", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0", TF_CLI_CONFIG_FILE=str(cli_config))
    for args in (["init", "-no-color"], ["apply", "-auto-approve", "-no-color"]):
        run = subprocess.run(
            [terraform, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        if run.returncode != 0:
            return run
    return subprocess.run(
        [terraform, "output", "-json"], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def outputs_reading(stack: Stack, kubeconfig: str, *, strip_nonsensitive: bool = False) -> dict[str, Any]:
    """A Terraform document whose outputs are the stack's endpoint and CA expressions, with the action's
    sensitive output replaced by a local that holds `kubeconfig` (base64) marked sensitive, as azapi marks it."""
    action = f"data.azapi_resource_action.{name_of(stack, 'azapi_resource_action', kind='data')}"
    outputs = {}
    for field in ("endpoint", "certificate_authority_data"):
        expression = stack["output"]["cluster"]["value"][field].replace(action, "local.credentials")
        if strip_nonsensitive:
            expression = expression.replace("${nonsensitive(", "${(")
        outputs[field] = {"value": expression}
    return {
        "locals": {"credentials": {"sensitive_output": {"kubeconfig": f"${{sensitive({json.dumps(kubeconfig)})}}"}}},
        "output": outputs,
    }


@pytest.mark.slow
def test_terraform_decodes_the_endpoint_and_ca_from_an_aks_kubeconfig(tmp_path: Path) -> None:
    _, stack = synth_cluster()
    kubeconfig = base64.b64encode(ENTRA_KUBECONFIG.encode()).decode()
    run = terraform_apply(tmp_path / "decode", outputs_reading(stack, kubeconfig))
    assert run.returncode == 0, run.stdout + run.stderr
    outputs = json.loads(run.stdout)
    assert outputs["endpoint"] == {"sensitive": False, "type": "string", "value": SERVER}
    assert outputs["certificate_authority_data"] == {"sensitive": False, "type": "string", "value": CA_DATA}
    # The other side: the kubeconfig really is sensitive to Terraform, which is what nonsensitive() is for.
    refused = terraform_apply(tmp_path / "sensitive", outputs_reading(stack, kubeconfig, strip_nonsensitive=True))
    assert refused.returncode != 0
    assert "Output refers to sensitive values" in refused.stdout + refused.stderr

"""The stacks of an AKS cluster (contract 4, stacks/kinds/aks.py): its pair stacks in a dependency chain, each
with the azapi provider, the cluster read from Azure (the `cluster` output from there, never from the config)
and one JWT authenticator for its IdP; an `oidc` IdP's private CA in its authenticator and its `oidc_config`
output only, and nothing of its CA file but the certificate."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from synth_support import config_from_text, synth_config
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from constructs_lib.outputs import ClusterOutput, OidcConfigOutput

CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
SECRET = b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CA_FILE_WITH_A_SECRET = CA_PEM + b"AWS_SECRET_ACCESS_KEY=" + SECRET + b"\n"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
CLUSTER_ID = "${data.azapi_resource.kubernetes_cluster_7648E433.id}"
CONFIG = f"""\
version: 1
identity_providers:
  okta-main: {{type: okta, prefix: "okta:"}}
  sso:
    type: oidc
    issuer_url: https://sso.acme.internal/realms/eng
    client_id: kubernetes
    certificate_authority_file: pki/sso-ca.pem
  jc: {{type: jumpcloud, prefix: "jc:", client_id: jc-app}}
clusters:
  apps:
    type: aks
    subscription_id: {SUBSCRIPTION}
    resource_group: rg-apps
    cluster_name: apps-aks
    identity_providers: [okta-main, sso, jc]
  onprem:
    type: kubernetes
    endpoint: https://k8s.acme.internal:6443
    certificate_authority_file: pki/sso-ca.pem
    identity_providers: [sso]
"""


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """{stack: cdk.tf.json} and the App's manifest."""
    root = tmp_path_factory.mktemp("aks")
    (root / "pki").mkdir()
    (root / "pki" / "sso-ca.pem").write_bytes(CA_FILE_WITH_A_SECRET)
    stacks = synth_config(config_from_text(CONFIG, root), root / "cdktf.out", project_root=root)
    manifest = json.loads((root / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    return stacks, manifest


def authenticator(stack: dict[str, Any]) -> dict[str, Any]:
    (resource,) = stack["resource"]["azapi_resource"].values()
    return resource  # type: ignore[no-any-return]


def test_the_pair_stacks_of_an_aks_cluster_form_a_chain_in_config_order(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    _, manifest = synthesised
    dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert dependencies == {
        "apps-okta-main": [],
        "apps-sso": ["apps-okta-main"],
        "apps-jc": ["apps-sso"],
        "onprem-sso": [],
    }


def test_each_aks_pair_stack_reads_the_cluster_and_holds_one_authenticator(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    for name, idp in (("apps-okta-main", "oktamain"), ("apps-sso", "sso"), ("apps-jc", "jc")):
        stack = stacks[name]
        assert stack["provider"]["azapi"] == [{"subscription_id": SUBSCRIPTION}]
        assert stack["terraform"]["required_providers"]["azapi"] == {"source": "azure/azapi", "version": "~> 2.12"}
        (cluster,) = stack["data"]["azapi_resource"].values()
        assert (cluster["name"], cluster["parent_id"]) == (
            "apps-aks",
            f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-apps",
        )
        resource = authenticator(stack)
        assert resource["type"] == "Microsoft.ContainerService/managedClusters/jwtAuthenticators@2026-06-02-preview"
        assert (resource["name"], resource["parent_id"], resource["locks"]) == (idp, CLUSTER_ID, [CLUSTER_ID])


def test_each_authenticator_trusts_its_idps_issuer_and_client_with_the_aks_prefix(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    okta, sso, jc = (
        authenticator(stacks[name])["body"]["properties"] for name in ("apps-okta-main", "apps-sso", "apps-jc")
    )
    # Okta's issuer and client id are the app's and server's attributes, known after deploy.
    assert okta["issuer"]["url"].startswith("${okta_auth_server.")
    assert okta["issuer"]["audiences"][0].startswith("${okta_app_oauth.")
    assert sso["issuer"] == {"url": "https://sso.acme.internal/realms/eng", "audiences": ["kubernetes"]}
    assert jc["issuer"] == {"url": "https://oauth.id.jumpcloud.com/", "audiences": ["jc-app"]}
    assert sso["claimMappings"]["username"] == {"expression": "'aks:jwt:' + 'sso:' + claims.email"}
    assert jc["claimMappings"]["groups"]["expression"].endswith(".map(group, 'aks:jwt:' + 'jc:' + group) : []")
    for properties in (okta, sso, jc):
        assert properties["claimValidationRules"][0]["expression"] == (
            "!has(claims.email_verified) || claims.email_verified == true"
        )


def test_only_the_private_ca_idp_carries_its_ca_and_only_its_certificate(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    assert authenticator(stacks["apps-sso"])["body"]["properties"]["certificateAuthorityBundle"] == CA_PEM.decode()
    for name in ("apps-sso", "onprem-sso"):
        oidc = stacks[name]["output"]["oidc_config"]["value"]
        assert base64.b64decode(oidc["certificate_authority_data"]) == CA_PEM
    for name in ("apps-okta-main", "apps-jc"):
        assert "certificateAuthorityBundle" not in authenticator(stacks[name])["body"]["properties"]
        assert set(stacks[name]["output"]["oidc_config"]["value"]) == set(OidcConfigOutput.required_fields())
    assert SECRET not in json.dumps(stacks).encode()


def test_the_cluster_output_comes_from_azure_never_from_the_config(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    cluster = stacks["apps-jc"]["output"]["cluster"]["value"]
    assert set(cluster) == set(ClusterOutput.model_fields)
    assert (cluster["name"], cluster["type"]) == ("apps-aks", "aks")
    assert cluster["region_or_location"] == "${data.azapi_resource.kubernetes_cluster_7648E433.location}"
    for field in ("endpoint", "certificate_authority_data"):
        assert cluster[field].startswith("${nonsensitive(yamldecode(base64decode(data.azapi_resource_action.")


def test_a_self_managed_pair_of_the_same_idp_needs_no_azure(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    assert {"provider", "resource", "data"}.isdisjoint(stacks["onprem-sso"])


def test_snapshot_of_an_aks_pair_stack(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]], snapshot: SnapshotAssertion
) -> None:
    stacks, _ = synthesised
    assert stacks["apps-sso"] == snapshot(extension_class=JSONSnapshotExtension)

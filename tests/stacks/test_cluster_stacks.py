"""The stacks of round 2's clusters (contract 4): an EKS cluster's pair stacks in a dependency chain,
each with its own identity provider config; a self-managed cluster's pair stacks with the IdP's
application only and the `cluster` output from the config."""

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
KEY_BODY = b"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgc2VjcmV0LWtleS1ib2R5"
CA_FILE_WITH_SECRETS = (
    b"subject=CN = k8s-oidc test onprem CA\n"
    + CA_PEM
    + b"AWS_SECRET_ACCESS_KEY="
    + SECRET
    + b"\n-----BEGIN PRIVATE KEY-----\n"
    + KEY_BODY
    + b"\n-----END PRIVATE KEY-----\n"
)
"""The self-managed cluster's CA file as a careless bundle: only its certificate may reach the stacks."""

CONFIG = """\
version: 1
identity_providers:
  jc: {type: jumpcloud, prefix: "jc:", client_id: jc-app}
  jc-eu: {type: jumpcloud, prefix: "eu:", client_id: eu-app, issuer_url: "https://oauth.id.eu.jumpcloud.com/"}
  gws: {type: google_workspace, prefix: "gws:", client_id: 1234-abc.apps.googleusercontent.com}
  okta-main: {type: okta, prefix: "okta:"}
clusters:
  prod:
    type: eks
    region: us-west-2
    cluster_name: ProdCluster
    identity_providers: [jc-eu, gws, jc]
  demo:
    type: eks
    region: us-west-2
    create:
      kubernetes_version: "1.33"
      availability_zones: [us-west-2a, us-west-2b]
      public_access_cidrs: [203.0.113.0/24]
    identity_providers: [gws, jc]
  single:
    type: eks
    region: eu-west-1
    cluster_name: Single
    identity_providers: [jc]
  data:
    type: gke
    project: acme-data
    location: us-west1
    cluster_name: data
    identity_providers: [jc, gws]
  onprem:
    type: kubernetes
    endpoint: https://k8s.acme.internal:6443
    certificate_authority_file: pki/onprem-ca.crt
    identity_providers: [jc, okta-main]
"""


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """{stack: cdk.tf.json} and the App's manifest."""
    root = tmp_path_factory.mktemp("clusters")
    (root / "pki").mkdir()
    (root / "pki" / "onprem-ca.crt").write_bytes(CA_FILE_WITH_SECRETS)
    stacks = synth_config(config_from_text(CONFIG, root), root / "cdktf.out", project_root=root)
    manifest = json.loads((root / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    return stacks, manifest


def test_nothing_but_the_certificate_of_the_ca_file_is_synthesised(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    embedded = [
        base64.b64decode(stack["output"]["cluster"]["value"]["certificate_authority_data"])
        for name, stack in stacks.items()
        if name.startswith("onprem-")
    ]
    assert embedded == [CA_PEM, CA_PEM]  # the certificate, re-encoded: the same bytes as the clean file
    synthesised_text = json.dumps(stacks).encode()
    for secret in (SECRET, KEY_BODY, b"AWS_SECRET_ACCESS_KEY", b"PRIVATE KEY"):
        assert secret not in synthesised_text
    assert base64.b64encode(CA_FILE_WITH_SECRETS) not in synthesised_text  # as the file used to be embedded


def test_the_pair_stacks_of_an_eks_cluster_form_a_chain_in_config_order(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    _, manifest = synthesised
    dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert dependencies == {
        "prod-jc-eu": [],
        "prod-gws": ["prod-jc-eu"],
        "prod-jc": ["prod-gws"],
        "demo-cluster": [],
        "demo-gws": ["demo-cluster"],
        # The chain first, then the cross-stack reference to the cluster's own stack.
        "demo-jc": ["demo-cluster", "demo-gws"],
        "single-jc": [],
        # GKE (Identity Service) and self-managed pairs change nothing in the cluster: no chain.
        "data-jc": [],
        "data-gws": [],
        "onprem-jc": [],
        "onprem-okta-main": [],
    }


def test_each_eks_pair_stack_keeps_its_own_identity_provider_config(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    expected = {
        "prod-jc-eu": ("jc-eu", "https://oauth.id.eu.jumpcloud.com/", "eu-app"),
        "prod-gws": ("gws", "https://accounts.google.com", "1234-abc.apps.googleusercontent.com"),
        "prod-jc": ("jc", "https://oauth.id.jumpcloud.com/", "jc-app"),
    }
    for stack, (config_name, issuer, client_id) in expected.items():
        (config,) = stacks[stack]["resource"]["aws_eks_identity_provider_config"].values()
        (cluster,) = stacks[stack]["data"]["aws_eks_cluster"].values()
        assert cluster["name"] == "ProdCluster"
        oidc = config["oidc"]
        assert (oidc["identity_provider_config_name"], oidc["issuer_url"], oidc["client_id"]) == (
            config_name,
            issuer,
            client_id,
        )


def test_a_self_managed_clusters_pair_stack_holds_the_idp_app_and_the_outputs_only(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    stacks, _ = synthesised
    jumpcloud, okta = stacks["onprem-jc"], stacks["onprem-okta-main"]
    # JumpCloud has nothing to create, and a self-managed cluster neither: no provider, no resource.
    assert "provider" not in jumpcloud and "resource" not in jumpcloud and "data" not in jumpcloud
    assert set(okta["provider"]) == {"okta"}
    assert {type_.split("_")[0] for type_ in okta["resource"]} == {"okta"}
    assert "data" not in okta
    for stack in (jumpcloud, okta):
        outputs = stack["output"]
        assert set(outputs) == {"oidc_config", "cluster"}
        assert set(outputs["oidc_config"]["value"]) == set(OidcConfigOutput.required_fields())
        assert set(outputs["cluster"]["value"]) == set(ClusterOutput.model_fields)
        assert outputs["cluster"]["value"] == {
            "name": "onprem",
            "type": "kubernetes",
            "region_or_location": None,
            "endpoint": "https://k8s.acme.internal:6443",
            "certificate_authority_data": base64.b64encode(CA_PEM).decode(),
        }


def test_snapshot_of_a_self_managed_pair_stack(
    synthesised: tuple[dict[str, dict[str, Any]], dict[str, Any]], snapshot: SnapshotAssertion
) -> None:
    stacks, _ = synthesised
    assert stacks["onprem-jc"] == snapshot(extension_class=JSONSnapshotExtension)

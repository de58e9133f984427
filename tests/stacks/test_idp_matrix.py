"""Every IdP type against EKS (one cluster per IdP: EKS trusts exactly one) and GKE (one cluster with
all four), synthesised in one app: stacks, provider blocks, contract-4 outputs, the security rules,
and a secret handed to the Google Workspace variable never written anywhere. Plus one snapshot of
each IdP's pair stack."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from synth_support import config_from_text, synth_config
from syrupy.assertion import SnapshotAssertion

from constructs_lib.idp.security_rules import blocks, check_stack
from constructs_lib.outputs import ClusterOutput, OidcConfigOutput

SECRET = "gws-secret-value-that-must-never-be-synthesised"

CONFIG = """\
version: 1
identity_providers:
  okta:
    type: okta
    prefix: "okta:"
    group_filter_regex: "k8s-.*"
  entra:
    type: entra_id
    security_groups: [k8s-admins]
  gws:
    type: google_workspace
    client_id: 1234-abc.apps.googleusercontent.com
  jc:
    type: jumpcloud
    client_id: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
clusters:
  aws-okta: {type: eks, region: us-west-2, cluster_name: OktaCluster, identity_providers: [okta]}
  aws-entra: {type: eks, region: us-west-2, cluster_name: EntraCluster, identity_providers: [entra]}
  aws-gws: {type: eks, region: us-west-2, cluster_name: GwsCluster, identity_providers: [gws]}
  aws-jc: {type: eks, region: us-west-2, cluster_name: JcCluster, identity_providers: [jc]}
  gke:
    type: gke
    project: acme-data
    location: us-west1
    cluster_name: data-cluster
    identity_providers: [okta, entra, gws, jc]
"""

IDP_PROVIDER = {"okta": {"okta"}, "entra": {"azuread"}, "gws": set(), "jc": set()}
PAIRS = [(f"aws-{idp}", idp, "eks") for idp in IDP_PROVIDER] + [("gke", idp, "gke") for idp in IDP_PROVIDER]
REDIRECT_URIS = ["http://localhost:8000", "http://localhost:18000"]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The synth output folder and {stack: cdk.tf.json}; the secret is in the environment as
    Terraform would read it, and the project root is the temporary folder (a deterministic
    relative backend path for the snapshots)."""
    root = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TF_VAR_google_workspace_client_secret", SECRET)
        stacks = synth_config(config_from_text(CONFIG, root), root / "cdktf.out", project_root=root)
    return root / "cdktf.out", stacks


def test_one_stack_per_pair(matrix: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    assert set(matrix[1]) == {f"{cluster}-{idp}" for cluster, idp, _ in PAIRS}


@pytest.mark.parametrize(("cluster", "idp", "cluster_type"), PAIRS)
def test_provider_blocks_are_the_clusters_and_the_idps_only(
    cluster: str, idp: str, cluster_type: str, matrix: tuple[Path, dict[str, dict[str, Any]]]
) -> None:
    stack = matrix[1][f"{cluster}-{idp}"]
    cluster_provider = {"eks": "aws", "gke": "google"}[cluster_type]
    assert set(stack["provider"]) == {cluster_provider} | IDP_PROVIDER[idp]
    assert set(stack["terraform"]["required_providers"]) == set(stack["provider"])


@pytest.mark.parametrize(("cluster", "idp", "cluster_type"), PAIRS)
def test_outputs_follow_contract_4(
    cluster: str, idp: str, cluster_type: str, matrix: tuple[Path, dict[str, dict[str, Any]]]
) -> None:
    outputs = matrix[1][f"{cluster}-{idp}"]["output"]
    needs_secret = idp == "gws"
    assert set(outputs) == {"oidc_config", "cluster"} | ({"oidc_client_secret"} if needs_secret else set())
    oidc = outputs["oidc_config"]
    assert "sensitive" not in oidc
    assert set(oidc["value"]) == set(OidcConfigOutput.required_fields())
    assert oidc["value"]["pkce_method"] == "S256"
    assert oidc["value"]["redirect_uris"] == REDIRECT_URIS
    assert oidc["value"]["requires_client_secret"] is needs_secret
    assert oidc["value"]["username_prefix"] == oidc["value"]["groups_prefix"] == f"{idp}:"
    if needs_secret:
        assert outputs["oidc_client_secret"] == {"value": "${var.google_workspace_client_secret}", "sensitive": True}
    assert set(outputs["cluster"]["value"]) == set(ClusterOutput.model_fields)
    assert outputs["cluster"]["value"]["type"] == cluster_type


def one_name(stack: dict[str, Any], kind: str, type_: str) -> str:
    (name,) = blocks(stack, kind, type_)
    return name


ISSUERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "okta": lambda stack: f"${{okta_auth_server.{one_name(stack, 'resource', 'okta_auth_server')}.issuer}}",
    "entra": lambda stack: (
        "https://login.microsoftonline.com/"
        f"${{data.azuread_client_config.{one_name(stack, 'data', 'azuread_client_config')}.tenant_id}}/v2.0"
    ),
    "gws": lambda _: "https://accounts.google.com",
    "jc": lambda _: "https://oauth.id.jumpcloud.com/",
}


@pytest.mark.parametrize(
    ("idp", "user_claim", "groups_claim"),
    [
        ("okta", "email", "groups"),
        ("entra", "preferred_username", "groups"),
        ("gws", "email", None),
        ("jc", "email", "groups"),
    ],
)
def test_issuer_and_claims_are_the_idps_defaults_on_eks_and_gke(
    idp: str, user_claim: str, groups_claim: str | None, matrix: tuple[Path, dict[str, dict[str, Any]]]
) -> None:
    for stack_name in (f"aws-{idp}-{idp}", f"gke-{idp}"):
        stack = matrix[1][stack_name]
        value = stack["output"]["oidc_config"]["value"]
        assert (value["issuer_url"], value["user_claim"], value["groups_claim"]) == (
            ISSUERS[idp](stack),
            user_claim,
            groups_claim,
        ), stack_name


@pytest.mark.parametrize("idp", list(IDP_PROVIDER))
def test_eks_trusts_exactly_what_the_oidc_config_output_says(
    idp: str, matrix: tuple[Path, dict[str, dict[str, Any]]]
) -> None:
    stack = matrix[1][f"aws-{idp}-{idp}"]
    (config,) = blocks(stack, "resource", "aws_eks_identity_provider_config").values()
    output = stack["output"]["oidc_config"]["value"]
    oidc = config["oidc"]
    assert (oidc["client_id"], oidc["issuer_url"], oidc["username_claim"], oidc["username_prefix"]) == (
        output["client_id"],
        output["issuer_url"],
        output["user_claim"],
        output["username_prefix"],
    )
    assert oidc.get("groups_claim") == output["groups_claim"]


def test_gke_pair_stacks_configure_nothing_on_the_cluster(matrix: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    for idp in IDP_PROVIDER:
        assert not any(type_.startswith("aws_") for type_ in matrix[1][f"gke-{idp}"].get("resource", {})), idp


@pytest.mark.parametrize("stack_name", sorted(f"{cluster}-{idp}" for cluster, idp, _ in PAIRS))
def test_every_stack_keeps_the_security_rules(stack_name: str, matrix: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    stack = matrix[1][stack_name]
    assert check_stack(stack) == []
    assert "application_id" not in json.dumps(stack)


def test_the_google_workspace_secret_lives_only_in_its_variable(
    matrix: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    outdir, stacks = matrix
    written = {path: path.read_text(encoding="utf-8") for path in outdir.rglob("*") if path.is_file()}
    assert written, "the synth wrote nothing"
    assert [path for path, text in written.items() if SECRET in text] == []
    with_variable = {
        name for name, stack in stacks.items() if "google_workspace_client_secret" in stack.get("variable", {})
    }
    assert with_variable == {"aws-gws-gws", "gke-gws"}
    for name in with_variable:
        variable = stacks[name]["variable"]["google_workspace_client_secret"]
        assert variable["sensitive"] is True
        assert "default" not in variable


@pytest.mark.parametrize("idp", list(IDP_PROVIDER))
def test_pair_stack_snapshot(
    idp: str, matrix: tuple[Path, dict[str, dict[str, Any]]], snapshot: SnapshotAssertion
) -> None:
    assert matrix[1][f"aws-{idp}-{idp}"] == snapshot

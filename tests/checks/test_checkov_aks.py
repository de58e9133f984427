"""checkov over AKS stacks: a pair-like stack built from the constructs (an existing AKS cluster read through
azapi, JWT authenticators for an Okta app and for a client made by hand behind a private CA), and the pair
stacks a config makes for an AKS cluster with an IdP of every type it takes. checkov has no checks of azapi's
JWT authenticators, so their security settings are checkov policies of this project
(tests/checks/checkov_policies/aks_*.yaml): every mapped name under `aks:jwt:` and a prefix, and the
email_verified rule wherever the email is the username. No check fails; each policy fails on a copy of the
stack that breaks it."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import cdktf
import pytest
from aks_team_stack import CA_PEM, TeamAksStack
from synth_support import config_from_text, synth_config
from test_checkov import CHECKOV_CONFIG, describe, run_checkov

POLICIES = Path(__file__).resolve().parent / "checkov_policies"
STACK = "apps-sso"
OUR_CHECKS = {"CKV2_K8SOIDCAKS_1", "CKV2_K8SOIDCAKS_2"}
AKS_CONFIG = f"""\
version: 1
identity_providers:
  okta-main: {{type: okta}}
  gws: {{type: google_workspace, client_id: 1234-abc.apps.googleusercontent.com}}
  jc: {{type: jumpcloud, client_id: jc-app}}
  sso:
    type: oidc
    issuer_url: https://sso.acme.internal/realms/eng
    client_id: kubernetes
    user_claim: preferred_username
    certificate_authority_data: {base64.b64encode(CA_PEM).decode()}
clusters:
  apps:
    type: aks
    subscription_id: 00000000-0000-0000-0000-000000000000
    resource_group: rg-apps
    cluster_name: apps-aks
    identity_providers: [okta-main, gws, jc, sso]
"""


@pytest.fixture(scope="module")
def stacks_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("checkov-aks") / "cdktf.out"
    app = cdktf.App(outdir=str(outdir))
    TeamAksStack(app, STACK)
    app.synth()
    return outdir / "stacks"


def scan(folder: Path) -> dict[str, Any]:
    return run_checkov(folder, "--config-file", str(CHECKOV_CONFIG), "--external-checks-dir", str(POLICIES))


def test_no_check_fails_and_every_policy_ran_on_both_authenticators(stacks_dir: Path) -> None:
    report = scan(stacks_dir)
    assert report["summary"]["parsing_errors"] == 0
    failed = report["results"]["failed_checks"]
    assert not failed, f"{len(failed)} checkov checks failed:\n" + "\n".join(map(describe, failed))
    passed: dict[str, int] = {}
    for check in report["results"]["passed_checks"]:
        if check["resource"].startswith("azapi_resource."):
            passed[check["check_id"]] = passed.get(check["check_id"], 0) + 1
    assert passed == dict.fromkeys(OUR_CHECKS, 2)


def test_each_policy_fails_on_a_stack_that_breaks_it(stacks_dir: Path, tmp_path: Path) -> None:
    stack = json.loads((stacks_dir / STACK / "cdk.tf.json").read_text(encoding="utf-8"))
    authenticators = stack["resource"]["azapi_resource"]
    keycloak, okta = sorted(authenticators)
    # A username without the AKS prefix; a groups mapping that drops the prefix.
    authenticators[keycloak]["body"]["properties"]["claimMappings"]["username"]["expression"] = "claims.email"
    authenticators[okta]["body"]["properties"]["claimMappings"]["groups"]["expression"] = "claims.groups"
    # The email as username without the email_verified rule.
    authenticators[keycloak]["body"]["properties"].pop("claimValidationRules")
    folder = tmp_path / STACK
    folder.mkdir()
    (folder / "cdk.tf.json").write_text(json.dumps(stack), encoding="utf-8")
    report = scan(tmp_path)
    failed = {(check["check_id"], check["resource"]) for check in report["results"]["failed_checks"]}
    assert failed == {
        ("CKV2_K8SOIDCAKS_1", f"azapi_resource.{keycloak}"),
        ("CKV2_K8SOIDCAKS_1", f"azapi_resource.{okta}"),
        ("CKV2_K8SOIDCAKS_2", f"azapi_resource.{keycloak}"),
    }


def test_the_pair_stacks_a_config_makes_for_an_aks_cluster_pass(tmp_path: Path) -> None:
    stacks = synth_config(config_from_text(AKS_CONFIG, tmp_path), tmp_path / "cdktf.out", project_root=tmp_path)
    assert set(stacks) == {"apps-okta-main", "apps-gws", "apps-jc", "apps-sso"}
    report = scan(tmp_path / "cdktf.out" / "stacks")
    assert report["summary"]["parsing_errors"] == 0
    failed = report["results"]["failed_checks"]
    assert not failed, f"{len(failed)} checkov checks failed:\n" + "\n".join(map(describe, failed))
    passed = {
        (check["check_id"], check["file_path"].split("/")[-2])
        for check in report["results"]["passed_checks"]
        if check["resource"].startswith("azapi_resource.")
    }
    # Both policies ran on every authenticator (sso's username is not the email: no email rule to need).
    assert passed == {(check, stack) for check in OUR_CHECKS for stack in stacks}

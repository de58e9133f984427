"""checkov over every stack of the matrix config (created and existing EKS and GKE clusters, all four
IdPs): no failed check. The only skips are the product decisions in .checkov.yaml, each with a reason,
and each still needed (checkov fails it without the skip)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from check_matrix import MatrixSynth, synth_matrix
from synth_support import PROJECT_ROOT
from tool_support import require_tool

CHECKOV_CONFIG = PROJECT_ROOT / ".checkov.yaml"
CLUSTER_STACKS = ("demo-cluster", "lab-cluster")
MULTI_IDP_EKS_PAIRS = ("prod-jc", "prod-gws", "demo-gws", "demo-jc")
SHARED_APPLICATION_STACKS = ("okta-fleet-idp", "entra-fleet-idp")
REFRESH_TOKEN_STACK = "data-okta-refresh"
DEVICE_CODE_STACK = "data-okta-device"


def checkov_binary() -> str:
    """$CHECKOV_BIN (the Makefile exports it), else the project's pinned install, else PATH."""
    for candidate in (os.environ.get("CHECKOV_BIN"), str(PROJECT_ROOT / ".tools" / "checkov" / "bin" / "checkov")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return require_tool("checkov")


def run_checkov(stacks_dir: Path, *extra: str) -> dict[str, Any]:
    """checkov's JSON report of the terraform_json framework, offline; a config file only if given."""
    result = subprocess.run(
        [
            checkov_binary(),
            "--directory",
            str(stacks_dir),
            "--framework",
            "terraform_json",
            "--skip-download",
            "--output",
            "json",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        # Not the project root: checkov would pick up its .checkov.yaml unasked.
        cwd=stacks_dir,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    # Exit status 1 just means "some check failed": the report says which, and the tests judge it.
    assert result.returncode in (0, 1), f"checkov exited {result.returncode}:\n{result.stderr[-4000:]}"
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    (terraform_json,) = (r for r in reports if r.get("check_type") == "terraform_json")
    return terraform_json  # type: ignore[no-any-return]


def describe(check: dict[str, Any]) -> str:
    return f"{check['check_id']} {check['check_name']}: {check['resource']} in {check['file_path']}"


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> MatrixSynth:
    return synth_matrix(tmp_path_factory)


@pytest.fixture(scope="module")
def report(matrix: MatrixSynth) -> dict[str, Any]:
    return run_checkov(matrix.stacks_dir, "--config-file", str(CHECKOV_CONFIG))


def skipped_checks() -> dict[str, str]:
    """{check id: reason} from .checkov.yaml; the reason is the comment line right above the id."""
    lines = CHECKOV_CONFIG.read_text(encoding="utf-8").splitlines()
    skips: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = re.fullmatch(r"\s*-\s*(CKV2?_[A-Z0-9]+_\d+)\s*", line)
        if match:
            previous = lines[index - 1].strip() if index else ""
            skips[match.group(1)] = previous.removeprefix("#").strip() if previous.startswith("#") else ""
    return skips


def test_the_matrix_covers_created_and_existing_clusters_and_every_idp(matrix: MatrixSynth) -> None:
    assert {c.type + ("-created" if c.created else "-existing") for c in matrix.config.clusters.values()} == {
        "eks-created",
        "eks-existing",
        "gke-created",
        "gke-existing",
        "kubernetes-existing",
    }
    # EKS clusters with several IdPs: their chained pair stacks are all checked.
    assert all(len(c.identity_providers) > 1 for c in matrix.config.clusters.values() if c.type == "eks")
    assert {idp.type for idp in matrix.config.identity_providers.values()} == {
        "okta",
        "entra_id",
        "google_workspace",
        "jumpcloud",
    }
    assert set(CLUSTER_STACKS) <= set(matrix.stacks)
    # An IdP that opts in to refresh tokens (refresh_tokens: true) is scanned too.
    (app,) = matrix.stacks[REFRESH_TOKEN_STACK]["resource"]["okta_app_oauth"].values()  # type: ignore[index]
    assert (app["grant_types"], app["refresh_token_rotation"]) == (["authorization_code", "refresh_token"], "ROTATE")
    # And one that opts in to device code sign-in (device_code: true).
    (app,) = matrix.stacks[DEVICE_CODE_STACK]["resource"]["okta_app_oauth"].values()  # type: ignore[index]
    assert app["grant_types"] == ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"]


def test_no_check_fails(report: dict[str, Any]) -> None:
    failed = report["results"]["failed_checks"]
    assert report["summary"]["failed"] == len(failed)
    assert not failed, f"{len(failed)} checkov checks failed:\n" + "\n".join(map(describe, failed))


def test_checks_ran_on_every_stack_without_parse_errors(report: dict[str, Any], matrix: MatrixSynth) -> None:
    summary = report["summary"]
    assert summary["parsing_errors"] == 0, report["results"].get("parsing_errors")
    assert summary["passed"] > 0
    checked_files = {check["file_path"] for check in report["results"]["passed_checks"]}
    # Both created-cluster stacks and the chained EKS pair stacks were evaluated resource by resource
    # (not silently left out). Okta, Entra and provider-less stacks hold nothing checkov has checks for.
    for stack in (*CLUSTER_STACKS, *MULTI_IDP_EKS_PAIRS):
        assert f"/{stack}/cdk.tf.json" in checked_files, stack


def test_the_cluster_controls_the_issue_names_are_checked_and_pass(report: dict[str, Any]) -> None:
    passed = {check["check_id"] for check in report["results"]["passed_checks"]}
    expected = {
        "CKV_AWS_37",  # all EKS control-plane log types
        "CKV_AWS_58",  # EKS secrets encryption
        "CKV_AWS_38",  # EKS public endpoint not open to 0.0.0.0/0
        "CKV_AWS_7",  # KMS rotation
        "CKV2_AWS_11",  # VPC flow logs
        "CKV2_AWS_12",  # default security group restricts all traffic
        "CKV_AWS_158",  # log groups encrypted
        "CKV_GCP_12",  # network policy
        "CKV_GCP_13",  # no client certificates
        "CKV_GCP_20",  # master authorized networks
        "CKV_GCP_25",  # private cluster
        "CKV_GCP_26",  # subnet flow logs
        "CKV_GCP_7",  # no legacy ABAC
        "CKV_GCP_9",  # node auto-repair
        "CKV_GCP_10",  # node auto-upgrade
        "CKV_GCP_68",  # secure boot
        "CKV_GCP_69",  # GKE metadata server
        "CKV_GCP_70",  # release channel
        "CKV_GCP_71",  # shielded nodes
        "CKV2_GCP_18",  # the network defines a firewall
    }
    assert expected <= passed, f"not passed: {sorted(expected - passed)}"


def test_every_skip_has_a_reason() -> None:
    skips = skipped_checks()
    assert skips, ".checkov.yaml lists no skip-check entries"
    assert all(skips.values()), f"skips without a reason comment: {[c for c, r in skips.items() if not r]}"


def test_every_skip_is_still_needed(matrix: MatrixSynth) -> None:
    """Without .checkov.yaml, each skipped check fails: no stale skip hides a future regression."""
    skips = skipped_checks()
    unskipped = run_checkov(matrix.stacks_dir, "--check", ",".join(skips))
    failing = {check["check_id"] for check in unskipped["results"]["failed_checks"]}
    assert failing == set(skips), f"skipped but passing anyway (remove the skip): {sorted(set(skips) - failing)}"


def test_the_shared_applications_stacks_are_scanned_and_fail_nothing(
    report: dict[str, Any], matrix: MatrixSynth
) -> None:
    """checkov has no checks of Okta's or Entra ID's resources (the project's own rules hold them:
    tests/stacks/test_idp_stack.py); the `<idp>-idp` stacks are in the scan, parse, and fail nothing."""
    assert set(SHARED_APPLICATION_STACKS) <= set(matrix.stacks)
    assert report["summary"]["parsing_errors"] == 0
    failed_files = {check["file_path"] for check in report["results"]["failed_checks"]}
    assert not {f"/{stack}/cdk.tf.json" for stack in SHARED_APPLICATION_STACKS} & failed_files

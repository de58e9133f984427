"""checkov over the `terraform-cloud` stack. checkov has no checks of the tfe provider, so the stack's
security settings are checkov policies of this project (tests/checks/checkov_policies): no global
state sharing, no apply without a person, every variable it sets sensitive. Each policy passes on the
synthesised stack and fails on a copy that breaks it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from synth_support import config_from_text, synth_config
from test_checkov import CHECKOV_CONFIG, describe, run_checkov

from stacks.config import TERRAFORM_CLOUD_STACK

POLICIES = Path(__file__).resolve().parent / "checkov_policies"
CONFIG = (Path(__file__).resolve().parents[1] / "fixtures" / "terraform_cloud.yaml").read_text(encoding="utf-8")
OUR_CHECKS = {"CKV2_K8SOIDC_1", "CKV2_K8SOIDC_2", "CKV2_K8SOIDC_3"}


@pytest.fixture(scope="module")
def bootstrap_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checkov-terraform-cloud")
    synth_config(config_from_text(CONFIG, root), root / "cdktf.out", project_root=root)
    # Only the bootstrap stack: the others are checkov'd with the matrix (tests/checks/test_checkov.py).
    folder = root / "scan" / TERRAFORM_CLOUD_STACK
    folder.mkdir(parents=True)
    source = root / "cdktf.out" / "stacks" / TERRAFORM_CLOUD_STACK / "cdk.tf.json"
    (folder / "cdk.tf.json").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return root / "scan"


def scan(folder: Path) -> dict[str, Any]:
    return run_checkov(folder, "--config-file", str(CHECKOV_CONFIG), "--external-checks-dir", str(POLICIES))


def test_no_check_fails_and_every_policy_ran(bootstrap_dir: Path) -> None:
    report = scan(bootstrap_dir)
    assert report["summary"]["parsing_errors"] == 0
    failed = report["results"]["failed_checks"]
    assert not failed, "\n".join(map(describe, failed))
    passed: dict[str, set[str]] = {}
    for check in report["results"]["passed_checks"]:
        passed.setdefault(check["check_id"], set()).add(check["resource"].split(".")[0])
    assert passed == {
        "CKV2_K8SOIDC_1": {"tfe_workspace_settings"},
        "CKV2_K8SOIDC_2": {"tfe_workspace", "tfe_workspace_settings"},
        "CKV2_K8SOIDC_3": {"tfe_variable"},
    }


def test_each_policy_fails_on_a_stack_that_breaks_it(bootstrap_dir: Path, tmp_path: Path) -> None:
    stack = json.loads((bootstrap_dir / TERRAFORM_CLOUD_STACK / "cdk.tf.json").read_text(encoding="utf-8"))
    resources = stack["resource"]
    resources["tfe_workspace_settings"]["settings_demo-cluster"]["global_remote_state"] = True
    resources["tfe_workspace_settings"]["settings_prod-okta-main"]["auto_apply"] = True
    resources["tfe_workspace"]["workspace_data-gws"]["auto_apply_run_trigger"] = True
    resources["tfe_variable"]["google_workspace_client_secret_data-gws"]["sensitive"] = False
    folder = tmp_path / TERRAFORM_CLOUD_STACK
    folder.mkdir()
    (folder / "cdk.tf.json").write_text(json.dumps(stack), encoding="utf-8")
    report = scan(tmp_path)
    failed = {(check["check_id"], check["resource"]) for check in report["results"]["failed_checks"]}
    assert failed == {
        ("CKV2_K8SOIDC_1", "tfe_workspace_settings.settings_demo-cluster"),
        ("CKV2_K8SOIDC_2", "tfe_workspace_settings.settings_prod-okta-main"),
        ("CKV2_K8SOIDC_2", "tfe_workspace.workspace_data-gws"),
        ("CKV2_K8SOIDC_3", "tfe_variable.google_workspace_client_secret_data-gws"),
    }
    assert {check_id for check_id, _ in failed} == OUR_CHECKS

"""checkov over the Workforce Identity Federation stacks (pool with Okta, Entra ID and JumpCloud
providers, a created and an existing workforce GKE cluster): no failed check."""

from __future__ import annotations

from pathlib import Path

from synth_support import config_from_text, synth_config
from test_checkov import CHECKOV_CONFIG, describe, run_checkov

WORKFORCE_CONFIG = (Path(__file__).resolve().parents[1] / "fixtures" / "workforce.yaml").read_text(encoding="utf-8")


def test_workforce_stacks_pass_checkov(tmp_path: Path) -> None:
    synth_config(config_from_text(WORKFORCE_CONFIG, tmp_path), tmp_path / "cdktf.out", project_root=tmp_path)
    report = run_checkov(tmp_path / "cdktf.out" / "stacks", "--config-file", str(CHECKOV_CONFIG))
    failed = report["results"]["failed_checks"]
    assert not failed, f"{len(failed)} checkov checks failed:\n" + "\n".join(map(describe, failed))
    assert report["summary"]["parsing_errors"] == 0
    checked = {check["file_path"] for check in report["results"]["passed_checks"]}
    assert any("/fed-cluster/" in path for path in checked)

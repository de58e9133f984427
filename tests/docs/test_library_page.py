"""docs/library.md: its example (the section "Use the constructs in your own CDKTF app") runs as printed and
synthesises the stack it promises."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGE = (PROJECT_ROOT / "docs" / "library.md").read_text(encoding="utf-8")


def test_library_example_synthesises(tmp_path: Path) -> None:
    section = PAGE[PAGE.index("\n## Use the constructs in your own CDKTF app\n") :]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match is not None
    script = tmp_path / "example.py"
    script.write_text(match.group(1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "CDKTF_OUTDIR": str(tmp_path / "out")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "end-of-life" not in result.stderr
    stack = json.loads((tmp_path / "out" / "stacks" / "prod-okta" / "cdk.tf.json").read_text(encoding="utf-8"))
    (config,) = stack["resource"]["aws_eks_identity_provider_config"].values()
    assert config["oidc"]["issuer_url"].startswith("${okta_auth_server.")
    assert set(stack["output"]) == {"oidc_config"}

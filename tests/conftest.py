"""Shared test fixtures. jsii must be prepared before anything imports cdktf."""

from __future__ import annotations

from constructs_lib.runtime import prepare_jsii_runtime

prepare_jsii_runtime()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import cdktf  # noqa: E402
import pytest  # noqa: E402

from stacks.app import build_app  # noqa: E402
from stacks.config import Config, parse_config  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
IN_CI = os.environ.get("CI") == "true"


def synth_json(stack: cdktf.TerraformStack) -> dict[str, object]:
    """A stack's Terraform JSON as `cdktf.Testing.synth` gives it (sorted, no metadata)."""
    return json.loads(cdktf.Testing.synth(stack))  # type: ignore[no-any-return]


def new_stack(name: str = "test") -> cdktf.TerraformStack:
    """An empty stack in a fresh test app (`Testing.synth_scope` does not work from Python)."""
    return cdktf.TerraformStack(cdktf.Testing.app(), name)


def config_from_text(text: str, tmp_path: Path) -> Config:
    path = tmp_path / "oidc.yaml"
    path.write_text(text, encoding="utf-8")
    return parse_config(text, path)


def synth_config(config: Config, outdir: Path, project_root: Path = PROJECT_ROOT) -> dict[str, dict[str, object]]:
    """Synthesise every stack of `config` into `outdir`; return {stack name: cdk.tf.json}."""
    build_app(config, outdir=outdir, project_root=project_root).synth()
    return {
        folder.name: json.loads((folder / "cdk.tf.json").read_text(encoding="utf-8"))
        for folder in sorted((outdir / "stacks").iterdir())
    }


def require_tool(name: str) -> str:
    """Path of an external tool; skip when it is absent, but fail under CI=true (CI must run it)."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required under CI=true but is not on PATH")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="session")
def example_synth(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """The bundled oidc.yaml, synthesised once per test session."""
    config = parse_config(EXAMPLE_CONFIG.read_text(encoding="utf-8"), EXAMPLE_CONFIG)
    return synth_config(config, tmp_path_factory.mktemp("example") / "cdktf.out")


ConfigSynth = Callable[[str], dict[str, dict[str, object]]]


@pytest.fixture
def synth_yaml(tmp_path: Path) -> ConfigSynth:
    """Synthesise a config given as YAML text; returns {stack name: cdk.tf.json}."""

    def run(text: str) -> dict[str, dict[str, object]]:
        return synth_config(config_from_text(text, tmp_path), tmp_path / "cdktf.out")

    return run

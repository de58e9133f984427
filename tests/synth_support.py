"""Helpers shared by the synth tests (a plain module: a second conftest.py, as tests/render has,
would shadow this one under `from conftest import …`). jsii is prepared before cdktf is imported."""

from __future__ import annotations

from constructs_lib.runtime import prepare_jsii_runtime

prepare_jsii_runtime()

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import cdktf  # noqa: E402

from stacks.app import build_app  # noqa: E402
from stacks.config import Config, parse_config  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"


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

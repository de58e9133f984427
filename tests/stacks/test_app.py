"""Building the App: every stack the config names, and created clusters deployed before their pairs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from synth_support import EXAMPLE_CONFIG, PROJECT_ROOT, synth_config

from stacks.config import load_config

DEPENDENCIES = PROJECT_ROOT / "tests" / "fixtures" / "dependencies.yaml"


def test_manifest_lists_every_stack_and_orders_pairs_after_their_cluster(tmp_path: Path) -> None:
    config = load_config(EXAMPLE_CONFIG)
    synth_config(config, tmp_path / "cdktf.out", project_root=tmp_path)
    manifest = json.loads((tmp_path / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert set(dependencies) == set(config.stack_names())
    assert dependencies["demo-entra"] == ["demo-cluster"]
    assert dependencies["lab-okta-main"] == ["lab-cluster"]
    assert dependencies["prod-okta-main"] == []


def test_the_apps_stack_dependencies_are_the_ones_validate_lists(tmp_path: Path) -> None:
    """`validate --json`'s `depends_on` and the synthesised manifest come from one declaration:
    created clusters, the workforce pool, an EKS cluster's chain, the terraform-cloud stack."""
    listed = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "validate", "--json", "--config", str(DEPENDENCIES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    planned = {entry["stack"]: entry["depends_on"] for entry in json.loads(listed.stdout)}
    synth_config(load_config(DEPENDENCIES), tmp_path / "cdktf.out", project_root=tmp_path)
    manifest = json.loads((tmp_path / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    synthesised = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert synthesised == planned
    assert synthesised["demo-jc"] == ["demo-cluster", "demo-entra"]  # the fixture has every kind of dependency
    assert synthesised["fed-jc"] == ["fed-cluster", "workforce-pool"]

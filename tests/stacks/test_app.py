"""Building the App: every stack the config names, and created clusters deployed before their pairs."""

from __future__ import annotations

import json
from pathlib import Path

from synth_support import EXAMPLE_CONFIG, synth_config

from stacks.config import load_config


def test_manifest_lists_every_stack_and_orders_pairs_after_their_cluster(tmp_path: Path) -> None:
    config = load_config(EXAMPLE_CONFIG)
    synth_config(config, tmp_path / "cdktf.out", project_root=tmp_path)
    manifest = json.loads((tmp_path / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert set(dependencies) == set(config.stack_names())
    assert dependencies["demo-entra"] == ["demo-cluster"]
    assert dependencies["lab-okta-main"] == ["lab-cluster"]
    assert dependencies["prod-okta-main"] == []

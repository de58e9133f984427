"""Synthesis is deterministic and relocatable (contract 4): byte-identical stacks from any clone
folder, no absolute path of the synthesising machine, local state outside the synth folder."""

from __future__ import annotations

import json
from pathlib import Path

from synth_support import EXAMPLE_CONFIG, PROJECT_ROOT

from stacks.app import build_app
from stacks.config import parse_config


def synth_tree(project_root: Path) -> dict[str, bytes]:
    config = parse_config(EXAMPLE_CONFIG.read_text(encoding="utf-8"), EXAMPLE_CONFIG)
    outdir = project_root / "cdktf.out"
    outdir.mkdir(parents=True)
    build_app(config, outdir=outdir, project_root=project_root).synth()
    stacks = outdir / "stacks"
    return {str(path.relative_to(stacks)): path.read_bytes() for path in sorted(stacks.rglob("*")) if path.is_file()}


def test_two_clone_folders_give_byte_identical_stacks(tmp_path: Path) -> None:
    first = synth_tree(tmp_path / "clone-a")
    second = synth_tree(tmp_path / "deeper" / "clone-b")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    for content in first.values():
        text = content.decode("utf-8")
        assert str(tmp_path) not in text
        assert str(PROJECT_ROOT) not in text


def test_local_state_lives_in_the_project_root_by_relative_path(tmp_path: Path) -> None:
    project = tmp_path / "project"
    tree = synth_tree(project)
    for name, content in tree.items():
        if not name.endswith("cdk.tf.json"):
            continue
        stack = name.split("/")[0]
        document = json.loads(content)
        path = document["terraform"]["backend"]["local"]["path"]
        assert path == f"../../../terraform.{stack}.tfstate"
        stack_folder = project / "cdktf.out" / "stacks" / stack
        assert (stack_folder / path).resolve() == project / f"terraform.{stack}.tfstate"
        for remote in document.get("data", {}).get("terraform_remote_state", {}).values():
            assert not remote["config"]["path"].startswith("/")

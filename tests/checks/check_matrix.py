"""What the external checks share: the matrix config (tests/checks/clusters.yaml), synthesised once
per test session (a helper module, not a conftest: a second `conftest` module would shadow
tests/conftest.py for the `from synth_support import …` of other test folders)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from synth_support import synth_config

from stacks.config import Config, load_config

MATRIX_CONFIG = Path(__file__).with_name("clusters.yaml")


@dataclass(frozen=True)
class MatrixSynth:
    config: Config
    root: Path
    """Project root of the synth: the stacks' local state paths point into it."""
    stacks_dir: Path
    """`cdktf.out/stacks`: one folder per stack, each with its `cdk.tf.json`."""
    stacks: dict[str, dict[str, Any]]


_synthesised: list[MatrixSynth] = []


def synth_matrix(tmp_path_factory: pytest.TempPathFactory) -> MatrixSynth:
    """The matrix config synthesised into a session temp folder (once: synth takes seconds)."""
    if not _synthesised:
        root = tmp_path_factory.mktemp("matrix")
        config = load_config(MATRIX_CONFIG)
        stacks = synth_config(config, root / "cdktf.out", project_root=root)
        _synthesised.append(
            MatrixSynth(config=config, root=root, stacks_dir=root / "cdktf.out" / "stacks", stacks=stacks)
        )
    return _synthesised[0]

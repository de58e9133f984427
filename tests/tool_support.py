"""External tools the tests run for real (terraform, checkov, gcloud, node…): a cdktf-free module, so
the render tests can use it without starting jsii."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI") == "true"


def require_tool(name: str) -> str:
    """Path of an external tool; skip when it is absent, but fail under CI=true (CI must run it)."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required under CI=true but is not on PATH")
        pytest.skip(f"{name} is not installed")
    return path


def skip_unless(present: bool, reason: str) -> None:
    """Skip when something the test needs is absent on this machine, but fail under CI=true: CI's
    machine has it, so its absence there is a broken setup, not a reason to test less."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)

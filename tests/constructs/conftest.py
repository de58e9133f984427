"""Fixtures of the construct tests."""

from __future__ import annotations

import pytest
from security_rule_support import Stack, compliant_stacks


@pytest.fixture(scope="session")
def compliant() -> dict[str, Stack]:
    """One stack per family of the security rules, as the constructs make them (synthesised once)."""
    return compliant_stacks()

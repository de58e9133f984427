"""The top level of `oidc.yaml` and its `defaults` (stacks/config/config_file.py): each rule with a value that
breaks it and its exact message at its key path, and the defaults a minimal file gets."""

from __future__ import annotations

from typing import Any

import pytest
from config_support import DELETE, MINIMAL, load, mutated, problems_of


@pytest.mark.parametrize(
    ("path", "value", "where", "expected"),
    [
        (
            "version",
            2,
            "version",
            "must be 1; got the number 2",
        ),
        (
            "version",
            True,
            "version",
            "must be 1; got the boolean true",
        ),
        (
            "defaults",
            {"redirect_ports": [8000, 8000]},
            "defaults.redirect_ports",
            "must not repeat values, repeated: 8000",
        ),
        (
            "defaults",
            {"redirect_ports": [80]},
            "defaults.redirect_ports[0]",
            "must be at least 1024, got the number 80",
        ),
        (
            "defaults",
            {"redirect_ports": [70000]},
            "defaults.redirect_ports[0]",
            "must be at most 65535, got the number 70000",
        ),
        (
            "surprise",
            True,
            "surprise",
            (
                "unknown top-level key; the top-level keys are version, backend, defaults, "
                "identity_providers, clusters, access, google_workforce_pool"
            ),
        ),
        ("clusters", DELETE, "clusters", "required key is missing"),
    ],
)
def test_each_top_level_rule_reports_its_key_path(path: str, value: Any, where: str, expected: str) -> None:
    assert problems_of(mutated(path, value)) == {where: expected}


def test_a_minimal_file_gets_the_defaults() -> None:
    config = load({key: value for key, value in MINIMAL.items() if key not in ("defaults", "access", "backend")})
    assert config.defaults.redirect_ports == [8000, 18000]
    assert config.defaults.support is None
    assert config.access == []

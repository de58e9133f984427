"""The pack of security rules (constructs_lib/idp/security_rules/__init__.py): `check_stack` runs one rule
of each rule module, and finds nothing in any stack the constructs make. Each rule's own cases are in
the test module of its name."""

from __future__ import annotations

import pkgutil

from security_rule_support import Stack

from constructs_lib.idp import security_rules

SHARED_MODULES = {"findings", "entra_apps", "okta_grants"}
"""The modules the rules share, which hold no rule."""


def test_the_pack_runs_the_rule_of_every_rule_module() -> None:
    modules = {module.name for module in pkgutil.iter_modules(security_rules.__path__)} - SHARED_MODULES
    assert sorted(rule.__name__ for rule in security_rules.RULES) == sorted(modules)
    assert all(rule.__module__.endswith(f".{rule.__name__}") for rule in security_rules.RULES)


def test_the_pack_finds_nothing_in_what_the_constructs_make(compliant: dict[str, Stack]) -> None:
    assert {family: security_rules.check_stack(stack) for family, stack in compliant.items()} == {
        family: [] for family in compliant
    }

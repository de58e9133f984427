"""The `access` section's entries (stacks/config/access.py): each rule with a value that breaks it and its
exact message at its key path. Rules across sections (an unknown IdP or cluster) are the loader's."""

from __future__ import annotations

from typing import Any

import pytest
from config_support import DELETE, load, mutated, problems_of


@pytest.mark.parametrize(
    ("path", "value", "where", "expected"),
    [
        (
            "access.0.user",
            "jane@example.com",
            "access[0]",
            "give exactly one of `group` or `user`",
        ),
        (
            "access.0.namespace",
            "Team_A",
            "access[0].namespace",
            (
                "must be a namespace name (lowercase letters, digits and '-', at most 63 "
                "characters), such as 'team-a'; got 'Team_A'"
            ),
        ),
        (
            "access.0.group",
            DELETE,
            "access[0]",
            "give exactly one of `group` or `user`",
        ),
        (
            "access.0.cluster_role",
            "Not A Role",
            "access[0].cluster_role",
            "must be a ClusterRole name (lowercase letters, digits, ':', '.', '_' and '-'), such as 'cluster-admin'; "
            "got 'Not A Role'",
        ),
        ("access.0.clusters", ["prod", "prod"], "access[0].clusters", "must not repeat values, repeated: prod"),
        ("access.0.clusters", [], "access[0].clusters", "must hold at least 1 item, got 0"),
    ],
)
def test_each_access_rule_reports_its_key_path(path: str, value: Any, where: str, expected: str) -> None:
    assert problems_of(mutated(path, value)) == {where: expected}


def test_a_group_may_be_any_printable_text_as_the_idp_names_it() -> None:
    """Entra ID's groups claim carries display names: spaces and brackets included."""
    (rule,) = load(mutated("access.0.group", "k8s admins (EU)")).access
    assert (rule.group, rule.user, rule.clusters, rule.namespace) == ("k8s admins (EU)", None, None, None)

"""stacks/config/yaml_source.py: YAML text to values, safely — malformed YAML with line and column, tabs
named as tabs, duplicate keys and alias bombs refused before any validation."""

from __future__ import annotations

import pytest
from config_support import problems_of

from stacks.config.yaml_source import MAX_VALUES, expands_beyond, load_yaml
from stacks.errors import UserError


def test_malformed_yaml_reports_line_and_column() -> None:
    problems = problems_of("version: 1\nclusters: [\n  oops: {\n")
    assert list(problems) == [""]
    assert "line 4, column 1" in problems[""] or "line 3" in problems[""]
    assert "malformed YAML" in problems[""]


def test_alias_bombs_are_refused_before_validation() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    problems = problems_of("\n".join(levels) + "\n")
    assert "expands to more than 1,000,000 values" in problems[""]


def test_duplicate_keys_are_an_error() -> None:
    problems = problems_of("version: 1\nversion: 1\n")
    assert "duplicate key 'version'" in problems[""]


def test_a_tab_is_named_with_its_line_and_column() -> None:
    with pytest.raises(UserError) as raised:
        load_yaml("version: 1\nclusters:\n\tprod: {}\n", "oidc.yaml")
    assert str(raised.value.problems[0]) == (
        "line 3, column 1: malformed YAML: a tab character; YAML indents with spaces only: replace the tab with spaces"
    )


def test_the_expansion_count_stops_at_the_limit() -> None:
    assert not expands_beyond([[1, 2], {"a": 3}], 6)
    assert expands_beyond([[1, 2], {"a": 3}], 5)
    assert MAX_VALUES == 1_000_000

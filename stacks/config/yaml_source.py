"""YAML text → Python values: libyaml's safe loader, duplicate keys refused, alias bombs refused."""

from __future__ import annotations

from typing import Any

import yaml

from stacks.errors import Problem, UserError

MAX_VALUES = 1_000_000
"""Far above any real config (1,000 stacks hold ~10,000 values), far below what hangs validation."""

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it: ~10× faster than the pure-Python one on large configs."""


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe loader that refuses duplicate keys (plain PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1}, column {mark.column + 1})", mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "malformed YAML"
        if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character; YAML indents with spaces only: replace the tab with spaces"
        raise UserError(source, [Problem("", f"{where}malformed YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise UserError(source, [Problem("", f"malformed YAML: {error}")]) from None


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


def expands_beyond(document: Any, limit: int) -> bool:
    """Counts values as validation would visit them, stopping at `limit`: YAML aliases can make a
    small file expand to billions of values (a "billion laughs" document)."""
    pending, seen = [document], 0
    while pending:
        value = pending.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(value, dict):
            pending += value.values()
        elif isinstance(value, list):
            pending += value
    return False

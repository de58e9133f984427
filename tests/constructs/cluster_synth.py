"""Helpers shared by the cluster construct tests: find blocks in synthesised Terraform JSON, build
references the way cdktf writes them, and synthesise a config's stacks for the snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synth_support import config_from_text, synth_config

Stack = dict[str, Any]


def blocks(stack: Stack, type_: str, kind: str = "resource") -> dict[str, dict[str, Any]]:
    """{logical name: body} of every block of `type_` (`kind`: resource or data)."""
    return stack.get(kind, {}).get(type_, {})  # type: ignore[no-any-return]


def name_of(stack: Stack, type_: str, kind: str = "resource") -> str:
    """The logical name of the one block of `type_`."""
    (name,) = blocks(stack, type_, kind)
    return name


def only(stack: Stack, type_: str, kind: str = "resource") -> dict[str, Any]:
    """The body of the one block of `type_`, without cdktf's metadata."""
    (body,) = blocks(stack, type_, kind).values()
    return {key: value for key, value in body.items() if key != "//"}


def ref(stack: Stack, type_: str, attribute: str, kind: str = "resource") -> str:
    """`${type.name.attribute}` (or `${data.…}`) of the one block of `type_`."""
    prefix = "data." if kind == "data" else ""
    return f"${{{prefix}{type_}.{name_of(stack, type_, kind)}.{attribute}}}"


def synth_stacks(text: str, tmp_path: Path) -> dict[str, Stack]:
    """Every stack of a config, synthesised with the project root in `tmp_path`: backend and
    cross-stack state paths are then relative inside `tmp_path` (`../../../terraform.<stack>.tfstate`),
    the same on every machine, so the JSON can be snapshotted."""
    return synth_config(config_from_text(text, tmp_path), tmp_path / "cdktf.out", project_root=tmp_path)

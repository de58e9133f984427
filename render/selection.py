"""`render --stacks GLOB …`: which pair stacks of the config to render, so clusters roll out one by one."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from stacks.config import Config, StackKind
from stacks.errors import Problem, UserError

_LISTED = 12
"""Pair stacks named in a message before `…`."""


def pair_stacks(config: Config) -> list[str]:
    """Every pair stack of the config, in config order."""
    return [spec.name for spec in config.stacks() if spec.kind is StackKind.PAIR]


def select_pair_stacks(config: Config, globs: Sequence[str]) -> list[str]:
    """The pair stacks any of `globs` matches (shell-style, case-sensitive: `prod-*`, `*-okta`), in config
    order; a glob that matches none is bad input (a typo would otherwise render nothing for it)."""
    pairs = pair_stacks(config)
    example = next(spec.cluster for spec in config.stacks() if spec.kind is StackKind.PAIR)
    selected: set[str] = set()
    problems: list[Problem] = []
    for glob in globs:
        matched = [name for name in pairs if fnmatch.fnmatchcase(name, glob)]
        if not matched:
            known = ", ".join(pairs[:_LISTED]) + (", …" if len(pairs) > _LISTED else "")
            problems.append(
                Problem(
                    "--stacks",
                    f"{glob!r} matches no pair stack of {config.source} (its pair stacks: {known}); "
                    f"quote the glob so the shell leaves it alone, e.g. --stacks '{example}-*'",
                )
            )
        selected.update(matched)
    if problems:
        raise UserError("command line", problems)
    return [name for name in pairs if name in selected]

"""Config values are literal text: none may hold a Terraform expression or template directive.

Strings from the config land in the synthesised Terraform JSON (app labels, client ids, group names,
prefixes, regexes), and Terraform evaluates `${…}` and `%{…}` in every JSON string: a value
`${file("/etc/passwd")}` would read that file on the machine that runs Terraform, and the result would
go wherever the value goes (an Okta app label, a claim, an output). k8s-oidc makes every reference it
needs itself, so no config value has a reason to hold either sequence: each one is refused here, for
every string of the file, at its key path. (The constructs escape literal strings for library users;
the config refuses them, so that what you wrote is what the IdP and the cluster get.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stacks.config.messages import key_path
from stacks.errors import Problem

TEMPLATE_SEQUENCES = ("${", "%{")
"""What starts a Terraform interpolation (`${…}`) or template directive (`%{…}`) in a JSON string."""


def template_sequence_problems(document: Any) -> list[Problem]:
    """A problem for every string of `document` (the parsed YAML) that holds `${` or `%{`, in file order."""
    return [
        Problem(key_path(path), _message(value))
        for path, value in _strings(document)
        if any(sequence in value for sequence in TEMPLATE_SEQUENCES)
    ]


def _strings(document: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string of `document` with its path, in file order; iterative, so no nesting depth breaks it."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, dict):
            pending += reversed([((*path, str(key)), value) for key, value in node.items()])
        elif isinstance(node, list):
            pending += reversed([((*path, index), value) for index, value in enumerate(node)])


def _message(value: str) -> str:
    found = " and ".join(f"`{sequence}`" for sequence in TEMPLATE_SEQUENCES if sequence in value)
    shown = value if len(value) <= 60 else value[:60] + "…"
    return (
        f"{shown!r} holds {found}, which Terraform would evaluate instead of taking the text as written (e.g. "
        '`${file("/etc/passwd")}` reads that file on the machine that runs Terraform); config values are '
        f"literal text and k8s-oidc makes every reference itself: remove the {found} from the value"
    )

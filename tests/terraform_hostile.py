"""A value Terraform would evaluate, as library users could hand it to the constructs (the config refuses
it), and a way to find every place a synthesised stack lets Terraform evaluate it."""

from __future__ import annotations

import re
from collections.abc import Iterator

HOSTILE = '${file("/etc/passwd")}%{if(true)}x%{endif}'
"""A file read and a template directive; one word, so it passes every check that doesn't refuse it."""
ESCAPED = '$${file("/etc/passwd")}%%{if(true)}x%%{endif}'
"""`HOSTILE` as Terraform must be given it to read exactly `HOSTILE`."""
_EVALUATED = re.compile(r"(?<!\$)\$\{file\(|(?<!%)%\{(if|endif)")
"""`${`/`%{` with no `$`/`%` right before: Terraform evaluates it (any run of them before is an escape)."""


def strings(value: object) -> Iterator[str]:
    """Every string in a Terraform JSON document, object keys included (Terraform reads both as templates)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def evaluated(document: object) -> list[str]:
    """The strings of `document` in which Terraform would evaluate the hostile text."""
    return [text for text in strings(document) if _EVALUATED.search(text)]


def escaped_count(document: object) -> int:
    """How many strings of `document` carry the hostile text escaped."""
    return sum(ESCAPED in text for text in strings(document))


URL_HOSTILE = '${file("/etc/passwd")}'
"""`HOSTILE` as a URL can hold it: a URL's `%` must start a %-escape, so the template directive stays out."""
URL_ESCAPED = '$${file("/etc/passwd")}'
"""`URL_HOSTILE` as Terraform must be given it to read exactly `URL_HOSTILE`."""

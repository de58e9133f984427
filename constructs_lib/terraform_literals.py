"""Literal strings as Terraform must read them, so that a value always means itself (cdktf-free).

Terraform reads every string in an argument or output of its JSON syntax as a template: `${…}`
interpolates an expression and `%{…}` runs a directive. A label `${file("/etc/passwd")}` would be a
file read on the machine that runs Terraform. `$${` and `%%{` are the template's escapes of the two.
Unresolved cdktf tokens (`${TfToken[TOKEN.7]}`) are left alone: cdktf puts the expression they stand
for in their place, so only the literal text around them is escaped.

The constructs escape what they hand to Terraform (resource and data source arguments, the contract
outputs) and nothing else: values they pass on to each other, such as an `OidcConfig`, stay as they
are (escaping twice would show `$${`), and so does what Terraform takes literally (a variable's
description).
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import re
from collections.abc import Mapping
from typing import TypeVar, cast

T = TypeVar("T")

_STRING_TOKEN = re.compile(r"\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}")
"""cdktf's string token encoding (`BEGIN_STRING_TOKEN_MARKER`, key characters, `END_TOKEN_MARKER`)."""
_TEMPLATE_START = re.compile(r"([$%])\{")
_DOLLARS_AT_END = re.compile(r"\$+$")


def literal(value: str) -> str:
    """`value` written so that Terraform reads exactly `value`: `${` → `$${`, `%{` → `%%{` in the literal
    text, tokens as they are (`a ${TfToken[TOKEN.1]}` stays a template joining `a ` to the token's value)."""
    texts = _STRING_TOKEN.split(value)
    tokens = _STRING_TOKEN.findall(value)
    written = []
    for text, token in zip(texts, [*tokens, ""], strict=True):
        text = _TEMPLATE_START.sub(r"\1\1{", text)
        if token:
            # `$` right before the token's `${` would make it the escape `$${`: such dollars are written
            # as an interpolation of themselves instead.
            text = _DOLLARS_AT_END.sub(lambda dollars: f'${{"{dollars.group()}"}}', text)
        written += [text, token]
    return "".join(written)


def escaped(value: T) -> T:
    """`value` with `literal` applied to each string in it: strings inside lists, tuples, mappings (keys
    too: Terraform reads object keys as templates) and dataclass instances (props, `OidcConfig`: a copy,
    not validated again). Anything else stays as it is: tokens of other kinds, numbers, enum members (names
    the construct chooses, not data) and constructs."""
    if isinstance(value, enum.Enum):
        return value  # a `StrEnum` member too: it names the construct's choice, it isn't data
    if isinstance(value, str):
        return cast(T, literal(value))
    if isinstance(value, list):
        return cast(T, [escaped(item) for item in value])
    if isinstance(value, tuple):
        return cast(T, tuple(escaped(item) for item in value))
    if isinstance(value, Mapping):
        return cast(T, {escaped(key): escaped(item) for key, item in value.items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        written = copy.copy(value)
        for field in dataclasses.fields(value):
            # Frozen dataclasses too: the copy is new, and nobody else holds it yet.
            object.__setattr__(written, field.name, escaped(getattr(value, field.name)))
        return written
    return value

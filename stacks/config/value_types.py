"""Value types the config models share.

Rules about a value a construct owns live in that construct's props (`constructs_lib/**/*_props.py`),
which each config entry builds (`props`; `stacks.config.props` reports their refusals at config keys); what
is here is what only the config file knows: entry names, references, and text that must be a single line.

A pattern-constrained value is `Annotated[str, Matching(...)]`: it carries a description and an example, so a
bad value reads "must be a name such as okta-main (…), got 'Okta'" rather than a regular expression,
and the pattern still reaches the JSON Schema (`python main.py schema`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,29}$"
NAME_DESCRIPTION = "a name of lowercase letters, digits and '-', starting with a letter, at most 30 characters"
MAX_TEXT = 256
"""Longest free-text value (claims, scopes, labels, ids): far above any real one."""

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BIDIRECTIONAL_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Matching:
    """Metadata for `Annotated[str, Matching(...)]`: the value must match `pattern`; a mismatch says
    `description` and `example`, never the pattern itself."""

    pattern: str
    description: str
    example: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(pattern=self.pattern, examples=[self.example])
        return json_schema

    def _check(self, value: str) -> str:
        if not re.match(self.pattern, value):
            raise ValueError(f"must be {self.description}, such as {self.example!r}; got {value!r}")
        return value


Name = Annotated[str, Matching(NAME_PATTERN, NAME_DESCRIPTION, "okta-main")]


def single_line(value: str) -> str:
    if _CONTROL_CHARACTERS.search(value):
        raise ValueError(f"must be one line of printable text, without tabs or control characters; got {value!r}")
    if not value.strip():
        raise ValueError(f"must not be empty or only spaces; got {value!r}")
    return value


def no_bidirectional_controls(value: str) -> str:
    """Text shown to people as it is (a guide's line): no bidirectional embedding, override or isolate, which
    would make it read otherwise than it is."""
    found = _BIDIRECTIONAL_CONTROLS.search(value)
    if found:
        raise ValueError(
            f"must not hold bidirectional controls (U+202A–U+202E, U+2066–U+2069), which make text read otherwise "
            f"than it is; found U+{ord(found.group()):04X} at index {found.start()} of {value!r}"
        )
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(single_line)]
"""One line of printable text (spaces allowed): the props of the construct that takes it decide the rest."""


def unique(values: list[Any]) -> list[Any]:
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"must not repeat values, repeated: {', '.join(duplicates)}")
    return values

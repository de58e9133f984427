"""stacks/config/value_types.py: what only the config file knows about a value — names and single-line
text — said in words, never as a regular expression."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError

from stacks.config.value_types import NAME_PATTERN, Matching, Name, Text

ORGANIZATION = Annotated[str, Matching(r"^[a-z]+$", "an organization name of lowercase letters", "acme")]


def refusal(annotation: object, value: object) -> str:
    with pytest.raises(ValidationError) as raised:
        TypeAdapter(annotation).validate_python(value)
    (error,) = raised.value.errors()
    return str(error["ctx"]["error"])


def test_a_mismatch_says_what_is_expected_and_an_example() -> None:
    assert refusal(ORGANIZATION, "Acme Corp") == (
        "must be an organization name of lowercase letters, such as 'acme'; got 'Acme Corp'"
    )
    assert TypeAdapter(ORGANIZATION).validate_python("acme") == "acme"


def test_the_pattern_and_the_example_reach_the_json_schema() -> None:
    schema = TypeAdapter(Name).json_schema()
    assert schema == {"type": "string", "pattern": NAME_PATTERN, "examples": ["okta-main"]}


@pytest.mark.parametrize("value", ["K8s Platform Admins", "jane@example.com", "a"])
def test_text_takes_any_printable_line(value: str) -> None:
    assert TypeAdapter(Text).validate_python(value) == value


@pytest.mark.parametrize("value", ["admins\n", "tab\there", "esc\x1b[0m", "del\x7f", "c1\x85"])
def test_text_refuses_control_characters(value: str) -> None:
    assert refusal(Text, value) == (
        f"must be one line of printable text, without tabs or control characters; got {value!r}"
    )


def test_text_refuses_blank_values() -> None:
    assert refusal(Text, "   ") == "must not be empty or only spaces; got '   '"

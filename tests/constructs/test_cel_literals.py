"""cel_literals: data enters a CEL expression as a string literal that evaluates to exactly the data, and
claims are reached by a form CEL parses. Checked with a real CEL implementation (Google's, from PyPI
`cel-expr-python`), which compiles and evaluates every expression."""

from __future__ import annotations

from typing import Any

import pytest
from cel_expr_python import cel

from constructs_lib.cel_literals import RESERVED_WORDS, cel_string, claim_present, claim_value, is_identifier

CLAIMS_ENV = cel.NewEnv(variables={"claims": cel.Type.Map(cel.Type.STRING, cel.Type.DYN)})
"""Declared as kube-apiserver declares it for structured authentication: `claims` is a map(string, dyn)."""

TRICKY = [
    "plain",
    "it's",
    'say "hi"',
    "back\\slash",
    "\\'",
    "' + claims.sub + '",
    '" + claims.sub + "',
    "line\nbreak\r\n",
    "tab\tend",
    "\x00nul\x07bell\x1b[2J",
    "\x7f\x85\x9f",
    "bidi \u202eevil\u202c \u2066x\u2069",
    "zero\u200bwidth\ufeff",
    "sep\u2028para\u2029",
    "private \ue000 and unassigned \U000e0080",
    "é ü ß 漢字 😀",
    "${x} %{if}",
    "",
]


def evaluate(expression: str, claims: dict[str, Any] | None = None) -> Any:
    return CLAIMS_ENV.compile(expression).eval(data={"claims": claims or {}}).plain_value()


@pytest.mark.parametrize("value", TRICKY, ids=[repr(value) for value in TRICKY])
def test_a_string_literal_evaluates_to_exactly_the_value(value: str) -> None:
    assert evaluate(cel_string(value)) == value


@pytest.mark.parametrize("value", TRICKY, ids=[repr(value) for value in TRICKY])
def test_the_literal_is_one_line_of_visible_text(value: str) -> None:
    """No line break, control, format (bidi, zero-width) or private-use character is written as it is: a
    reader of the body sees what the expression does."""
    written = cel_string(value)
    assert written.isprintable()
    assert "\u202e" not in written and "\u200b" not in written
    assert written.startswith("'") and written.endswith("'")


def test_printable_text_of_any_script_stays_readable() -> None:
    assert cel_string("é 漢字 😀") == "'é 漢字 😀'"
    assert cel_string("bidi \u202e") == "'bidi \\u202e'"
    assert cel_string("\U000e0080") == "'\\U000e0080'"
    assert cel_string("a\nb\r\tc") == "'a\\nb\\r\\tc'"


def test_a_literal_ends_where_it_should_whatever_the_value_holds() -> None:
    """The hostile value stays text: the expression adds nothing and reads no claim."""
    hostile = "' + claims.sub + '"
    assert evaluate(f"{cel_string(hostile)} + claims.name", {"sub": "admin", "name": "n"}) == hostile + "n"


def test_an_unpaired_surrogate_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        cel_string("a\ud800b")
    assert str(error.value) == "U+D800 is an unpaired surrogate, which no CEL string can hold"


@pytest.mark.parametrize(
    ("claim", "expression"),
    [
        ("email", "claims.email"),
        ("preferred_username", "claims.preferred_username"),
        ("_x9", "claims._x9"),
        ("https://acme.com/groups", "claims['https://acme.com/groups']"),
        ("cognito:groups", "claims['cognito:groups']"),
        ("x-groups", "claims['x-groups']"),
        ("9lives", "claims['9lives']"),
        ("in", "claims['in']"),
        ("namespace", "claims['namespace']"),
        ("null", "claims['null']"),
        ("o'brien", "claims['o\\'brien']"),
        ("名前", "claims['名前']"),
    ],
)
def test_claims_are_selected_by_name_or_indexed(claim: str, expression: str) -> None:
    assert claim_value(claim) == expression
    assert evaluate(expression, {claim: "v", "other": "w"}) == "v"
    assert evaluate(claim_present(claim), {claim: "v"}) is True
    assert evaluate(claim_present(claim), {"other": "w"}) is False


def test_reserved_words_are_no_identifiers_and_are_indexed() -> None:
    assert {"in", "as", "package", "true"} <= RESERVED_WORDS
    assert not any(is_identifier(word) for word in RESERVED_WORDS)
    for word in RESERVED_WORDS:
        assert evaluate(claim_value(word), {word: "v"}) == "v"
    # Why: the literals and `in` can't follow `.` in any CEL parser; the language definition reserves the
    # other words for future use (this parser still takes them after `.`, others need not).
    for word in ("true", "false", "null", "in"):
        with pytest.raises(RuntimeError):
            CLAIMS_ENV.compile(f"claims.{word}")
    assert is_identifier("email") and is_identifier("email_verified")

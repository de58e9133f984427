"""JSON from outside parsed within bounds (stacks.json_input): 64 levels of nesting, numbers of 64 digits,
refused with a sentence before Python's parser would recurse or convert — never a RecursionError or
ValueError from deep inside it, and in time linear in the input however it is built."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_https import deep_json, long_number

from stacks.json_input import MAX_DEPTH, MAX_NUMBER_DIGITS, JsonBeyondBounds, MalformedJson, parse_json

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def nested(depth: int) -> str:
    """`depth` levels of alternating objects and arrays around a number."""
    text = "1"
    for level in range(depth):
        text = f'{{"k": {text}}}' if level % 2 else f"[{text}]"
    return text


def test_json_as_deep_as_allowed_is_read_and_one_level_more_is_not() -> None:
    assert json.dumps(parse_json(nested(MAX_DEPTH))) == nested(MAX_DEPTH)
    with pytest.raises(JsonBeyondBounds) as raised:
        parse_json(nested(MAX_DEPTH + 1))
    assert str(raised.value) == "JSON nested 65 levels deep: at most 64 levels of objects and arrays are read"


@pytest.mark.parametrize("depth", [1_000, 100_000, 10_000_000])
def test_deep_nesting_is_refused_without_recursion(depth: int) -> None:
    # Python's own parser raises RecursionError past ~1,000 levels: a traceback.
    with pytest.raises(JsonBeyondBounds, match=f"JSON nested {depth} levels deep"):
        parse_json(deep_json(depth))


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = json.dumps({"value": "[" * 500 + "{" * 500, "escaped": '\\"[[[[', "quote": '"{{{{'})
    assert parse_json(text)["value"] == "[" * 500 + "{" * 500


def test_numbers_of_up_to_64_digits_are_read_and_longer_ones_are_not() -> None:
    assert parse_json("9" * MAX_NUMBER_DIGITS) == int("9" * MAX_NUMBER_DIGITS)
    assert parse_json("-" + "9" * MAX_NUMBER_DIGITS) == -int("9" * MAX_NUMBER_DIGITS)
    assert parse_json("0." + "5" * (MAX_NUMBER_DIGITS - 1)) == pytest.approx(5 / 9)
    with pytest.raises(JsonBeyondBounds) as raised:
        parse_json("9" * (MAX_NUMBER_DIGITS + 1))
    assert str(raised.value) == "a number with 65 digits: at most 64 digits are read (e.g. 8000 or 1.5)"
    for longer_decimal in ("1." + "5" * MAX_NUMBER_DIGITS, "1e" + "5" * MAX_NUMBER_DIGITS):
        with pytest.raises(JsonBeyondBounds, match="a number with 65 digits"):
            parse_json(longer_decimal)


def test_a_5000_digit_number_is_refused_with_a_sentence() -> None:
    # Python's own int() refuses past 4,300 digits with a ValueError from deep inside json.
    with pytest.raises(JsonBeyondBounds, match="a number with 5000 digits"):
        parse_json(long_number(5_000))


def test_malformed_json_says_where() -> None:
    with pytest.raises(MalformedJson) as raised:
        parse_json(b'{"prod": ')
    assert str(raised.value) == "malformed JSON: line 1, column 10: Expecting value"


def test_json_must_be_utf8() -> None:
    # json.loads would guess UTF-16 from the bytes, or raise UnicodeDecodeError: neither is a sentence.
    with pytest.raises(MalformedJson) as raised:
        parse_json(b'{"a": "\xff"}')
    assert str(raised.value) == "not UTF-8 text (byte 0xff at offset 7)"
    with pytest.raises(MalformedJson):
        parse_json('{"a": 1}'.encode("utf-16"))


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param("'\"' + '\\\\\"' * 4_000_000", id="unterminated-string-of-escaped-quotes"),
        pytest.param("'\"\\\\' * 2_000_000", id="quotes-and-backslashes"),
        pytest.param("'[' * 4_000_000 + '\"'", id="deep-then-a-quote"),
    ],
)
def test_the_bound_checks_take_linear_time(hostile: str) -> None:
    """8 MB built so that a scan restarting at each quote would take hours. In a process of its own: a
    regular expression holds the interpreter while it runs, so a thread couldn't time it out."""
    probe = (
        "from stacks.json_input import JsonInputError, parse_json\n"
        f"try: parse_json({hostile})\n"
        "except JsonInputError as error: print(type(error).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=20, check=False
    )
    assert result.stdout in ("MalformedJson\n", "JsonBeyondBounds\n"), result.stderr

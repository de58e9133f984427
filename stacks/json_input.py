"""JSON from outside — outputs files, ClientConfigs, API answers, discovery documents, JWKS, token
responses — parsed within bounds (DESIGN.md contract 5): at most 64 levels of nesting and numbers of
at most 64 digits. Python's own parser turns deeper nesting into a RecursionError and numbers past
4,300 digits into a ValueError deep inside it; here both are refused first, with a sentence.

How much is read (the size bound) is the caller's: each reader knows what its input may weigh.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
"""Levels of nested objects and arrays: outputs and API answers are a handful deep."""
MAX_NUMBER_DIGITS = 64
"""Digits of one number: ports, counts and timestamps have a few; no value k8s-oidc reads has more."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
"""A string, or an unterminated one up to the end: always matches from a quote, so scanning stays linear."""
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JsonInputError(ValueError):
    """The text is not JSON k8s-oidc reads; the message says why (without naming the source)."""


class MalformedJson(JsonInputError):
    """Not JSON at all (a syntax error, or not UTF-8)."""


class JsonBeyondBounds(JsonInputError):
    """JSON nested too deep or holding too long a number."""


def parse_json(data: bytes | str) -> Any:
    """The value of a JSON text (UTF-8 when bytes); `JsonInputError` saying what is wrong."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedJson(f"not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start})") from None
    else:
        text = data
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise JsonBeyondBounds(
            f"JSON nested {depth} levels deep: at most {MAX_DEPTH} levels of objects and arrays are read"
        )
    try:
        return json.loads(text, parse_int=_integer, parse_float=_decimal)
    except json.JSONDecodeError as error:
        raise MalformedJson(f"malformed JSON: line {error.lineno}, column {error.colno}: {error.msg}") from None


def _nesting(text: str) -> int:
    """The deepest nesting of objects and arrays, counted outside strings before anything is parsed
    (Python's parser recurses once per level). Linear; exact for well-formed JSON."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def _checked_digits(text: str) -> str:
    digits = sum(character.isdigit() for character in text)
    if digits > MAX_NUMBER_DIGITS:
        raise JsonBeyondBounds(
            f"a number with {digits} digits: at most {MAX_NUMBER_DIGITS} digits are read (e.g. 8000 or 1.5)"
        )
    return text


def _integer(text: str) -> int:
    return int(_checked_digits(text))


def _decimal(text: str) -> float:
    return float(_checked_digits(text))

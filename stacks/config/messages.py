"""Validation with pydantic, its errors turned into `Problem`s at config key paths."""

from __future__ import annotations

import re
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from stacks.config.value_types import NAME_PATTERN
from stacks.errors import Problem

_AT_KEY = "value_error_at_key"


def error_at(key: str, message: str) -> PydanticCustomError:
    """An error of a model validator, reported at the model's `key` rather than at the model itself
    (a rule over several keys belongs to the key it asks the user to change)."""
    return PydanticCustomError(_AT_KEY, message, {"key": key})


def validate_entries(
    entries: dict[str, Any],
    section: str,
    model: Any,
    problems: list[Problem],
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    valid: dict[str, Any] = {}
    for name, entry in entries.items():
        if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
            problems.append(
                Problem(f"{section}.{name}", f"name must match {NAME_PATTERN} (lowercase, digits, '-'; ≤ 30 chars)")
            )
            continue
        value = validate(model, entry, (section, name), problems, context)
        if value is not None:
            valid[name] = value
    return valid


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def validate(
    model: Any, data: Any, loc: tuple[str | int, ...], problems: list[Problem], context: dict[str, Any] | None = None
) -> Any:
    """`context` reaches the models' validators (e.g. `config_dir`, which relative file names start from)."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    try:
        return adapter.validate_python(data, context=context)
    except ValidationError as error:
        problems += [_problem(loc, item) for item in error.errors(include_url=False)]
        return None


_UNION_TAGS = {"okta", "entra_id", "google_workspace", "jumpcloud", "eks", "gke", "kubernetes", "local", "cloud"}


def _problem(prefix: tuple[str | int, ...], item: Any) -> Problem:
    # Discriminated unions put the tag (e.g. `okta`) into the location; users never wrote it.
    loc = [part for part in item["loc"] if part not in _UNION_TAGS and part != "[key]"]
    if item["type"] == _AT_KEY:
        loc.append(item["ctx"]["key"])
    path = _path((*prefix, *loc))
    message = str(item["msg"]).removeprefix("Value error, ")
    kind = item["type"]
    if kind == "extra_forbidden":
        message = "unknown key (check the spelling against the README's config reference)"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "union_tag_invalid":
        expected = item.get("ctx", {}).get("expected_tags", "")
        message = f"unknown type {item['input'].get('type')!r}; expected one of {expected}"
    elif kind == "union_tag_not_found":
        message = "required key `type` is missing"
    elif kind in {"string_type", "int_type", "list_type", "dict_type", "model_type", "bool_type"}:
        message = f"{message}, got {kind_of(item['input'])} {item['input']!r}"
    return Problem(path, message)


def _path(parts: tuple[str | int, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )

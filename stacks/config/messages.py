"""Validation with pydantic, its errors turned into `Problem`s at key paths, in words a platform engineer
acts on: what was wrong, the value, and what a right one looks like — never pydantic's own wording or a
bare regular expression. The render step reuses it for stack outputs."""

from __future__ import annotations

import copy
import difflib
import re
import typing
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from constructs_lib.props_error import PropsError
from stacks.config.access import AccessRule
from stacks.config.backend import Backend
from stacks.config.clusters import ClusterConfig
from stacks.config.config_file import ConfigFile
from stacks.config.identity_providers import IdentityProviderConfig
from stacks.config.value_types import NAME_DESCRIPTION, NAME_PATTERN
from stacks.errors import Problem

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def union_tags(*unions: Any) -> frozenset[str]:
    """The tags of discriminated unions (`Annotated[A | B, Field(discriminator=...)]`): each member's value of
    the discriminator."""
    tags: set[str] = set()
    for union in unions:
        members, *metadata = typing.get_args(union)
        (discriminator,) = [item.discriminator for item in metadata if isinstance(item, FieldInfo)]
        for member in typing.get_args(members):
            tags.update(typing.get_args(member.model_fields[discriminator].annotation))
    return frozenset(tags)


def models_of(*annotations: Any) -> Iterator[type[BaseModel]]:
    """Every model in the annotations, and in their models' fields, each once."""
    seen: set[type[BaseModel]] = set()
    pending = list(annotations)
    while pending:
        annotation = pending.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.add(annotation)
                yield annotation
                pending += [field.annotation for field in annotation.model_fields.values()]
        else:
            pending += typing.get_args(annotation)


_UNION_TAGS = union_tags(Backend, IdentityProviderConfig, ClusterConfig)
"""Discriminated unions put the tag (e.g. `okta`) into error locations; users never wrote it."""
_KNOWN_KEYS = frozenset(
    key
    for model in models_of(ConfigFile, IdentityProviderConfig, ClusterConfig, AccessRule)
    for key in model.model_fields
)
"""The keys the config knows, for "did you mean" on an unknown one."""


def validate_entries(
    entries: dict[Any, Any],
    section: str,
    model: Any,
    problems: list[Problem],
    context: dict[str, Any] | None = None,
    *,
    partial: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Each `name: entry` of a section on its own, so one bad entry hides nothing about the others.
    `partial` receives, for an entry that failed, the entry validated without the keys it was refused
    for, when that still makes an entry: the rules on its other values can then be checked in the same
    run (every problem at once), though the entry itself stays invalid."""
    valid: dict[str, Any] = {}
    for name, entry in entries.items():
        if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
            problems.append(
                Problem(f"{section}.{name}", f"must be {NAME_DESCRIPTION}, such as 'okta-main'; got {name!r}")
            )
            continue
        errors: list[Any] = []
        value = validate(model, entry, (section, name), problems, context, errors=errors)
        if value is not None:
            valid[name] = value
        elif partial is not None and isinstance(entry, dict):
            rest = _without_refused_keys(entry, errors)
            if rest is not None and (value := validate(model, rest, (), [], context)) is not None:
                partial[name] = value
    return valid


def _without_refused_keys(entry: dict[Any, Any], errors: list[Any]) -> dict[Any, Any] | None:
    """A copy of `entry` without the keys its errors point at; None when an error concerns the entry as
    a whole (nothing can be dropped to get past it)."""
    rest = copy.deepcopy(entry)
    for error in errors:
        loc = [part for part in error["loc"] if part not in _UNION_TAGS and part != "[key]"]
        if not loc:
            return None
        node = rest
        for depth, part in enumerate(loc):
            last = depth == len(loc) - 1
            if not isinstance(part, str) or part not in node:
                break
            if last or not isinstance(node[part], dict):
                node.pop(part)  # the refused key, or the list or wrongly typed value holding it
                break
            node = node[part]
    return rest


def validate(
    model: Any,
    data: Any,
    loc: tuple[str | int, ...],
    problems: list[Problem],
    context: dict[str, Any] | None = None,
    *,
    from_yaml: bool = True,
    errors: list[Any] | None = None,
) -> Any:
    """`data` validated as `model` (a type or model), or None with its problems appended. `context` reaches
    the models' validators (e.g. `config_dir`, which relative file names start from). `from_yaml`: say
    how YAML's unquoted values fool it (not for JSON inputs, such as stack outputs). `errors` receives
    pydantic's errors as they are."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    try:
        return adapter.validate_python(data, context=context)
    except ValidationError as error:
        items = error.errors(include_url=False)
        if errors is not None:
            errors += items
        problems += [problem for item in items for problem in problems_from_error(loc, item, from_yaml=from_yaml)]
        return None


def problems_from_error(prefix: tuple[str | int, ...], item: Any, *, from_yaml: bool = True) -> list[Problem]:
    """One pydantic error as `Problem`s at their key paths: one, or one per refusal of a `PropsError`
    that a model validator raised for several values of its entry."""
    # Discriminated unions put the tag (e.g. `okta`) into the location; users never wrote it.
    loc: list[str | int] = [part for part in item["loc"] if part not in _UNION_TAGS and part != "[key]"]
    error = item.get("ctx", {}).get("error")
    if isinstance(error, PropsError):
        # A rule about a key of the entry names that key (an empty field: the entry as a whole).
        return [
            Problem(key_path((*prefix, *loc, *([problem.field] if problem.field else []))), _props_sentence(problem))
            for problem in error.problems
        ]
    return [Problem(key_path((*prefix, *loc)), _sentence(item, from_yaml=from_yaml))]


def _props_sentence(error: PropsError) -> str:
    return without_field_name(str(error), error.field) if error.field else str(error)


def _sentence(item: Any, *, from_yaml: bool) -> str:
    kind: str = item["type"]
    value = item.get("input")
    ctx = item.get("ctx", {})
    if kind == "value_error":
        return str(ctx.get("error", item["msg"]))
    if kind == "extra_forbidden":
        return _unknown_key(item["loc"][-1] if item["loc"] else "")
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        expected = ctx.get("expected_tags", "")
        return f"unknown type {value.get('type')!r}; expected one of {expected}"
    if kind == "union_tag_not_found":
        return "required key `type` is missing"
    if kind == "string_type":
        return f"expected text, got {describe(value)}{_quote_hint(value) if from_yaml else ''}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"expected a whole number such as 8000, got {describe(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {describe(value)}"
    if kind == "list_type":
        return f"expected a list (YAML `- item` lines or `[a, b]`), got {describe(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping of keys to values, got {describe(value)}"
    if kind in {"literal_error", "enum"}:
        return f"must be {_choices(ctx.get('expected', ''))}; got {describe(value)}"
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"must hold at least {minimum} item{'s' if minimum != 1 else ''}, got {ctx.get('actual_length', 0)}"
    if kind == "too_long":
        return f"must hold at most {ctx.get('max_length')} items, got {ctx.get('actual_length')}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters, got {len(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, got {describe(value)}"
    if kind in {"less_than_equal", "less_than"}:
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, got {describe(value)}"
    # Anything else: pydantic's words, with the value; still better than a traceback.
    return f"{item['msg']}; got {describe(value)}"


def _quote_hint(value: Any) -> str:
    """YAML turns unquoted numbers, dates and yes/no into other types: say what it made and how to fix it."""
    if isinstance(value, bool):
        return ' (YAML reads unquoted true/false/yes/no/on/off as a boolean): quote the value, e.g. "yes"'
    if isinstance(value, int | float):
        return (
            f" (YAML read the unquoted value as the number {value!r}): write it in quotes exactly as you mean "
            'it, e.g. "1.30" rather than 1.30, which YAML makes 1.3'
        )
    if value is None:
        return " (the key has no value; YAML reads an empty value, `~` or `null` as nothing)"
    return ""


def describe(value: Any) -> str:
    """A value as a sentence fragment: what YAML/JSON made of it, then the value itself."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:60] + "…"
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    return "nothing" if value is None else type(value).__name__


def _choices(expected: str) -> str:
    options = re.findall(r"'([^']*)'|(\d+)", expected)
    values = [quoted or number for quoted, number in options]
    if len(values) == 1:
        return f"{values[0]}" if values[0].isdigit() else f"{values[0]!r}"
    return "one of " + ", ".join(repr(value) for value in values) if values else expected


def _unknown_key(key: Any) -> str:
    if key in _KNOWN_KEYS:
        return (
            f"unknown key for this entry (`{key}` is a key of other entries; see the config reference in "
            "docs/configuration.md)"
        )
    hint = did_you_mean(str(key), _KNOWN_KEYS)
    return f"unknown key{hint or ' (check the spelling against the config reference in docs/configuration.md)'}"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a candidate is close to `word`, else empty."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def key_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def without_field_name(message: str, field: str) -> str:
    """Props messages start with the prop's name (they stand alone for library users); at a config key
    path that name is said already."""
    for lead in (f"{field}: ", f"{field} "):
        if message.startswith(lead) and len(message) > len(lead):
            return message[len(lead) :]
    return message

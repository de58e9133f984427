"""The config reference tables of `docs/configuration.md`, generated from the JSON Schema of `oidc.yaml`.

The tables come from the same source as `oidc.schema.json` (`stacks.config.schema.config_schema()`, the
model's keys, descriptions, defaults and choices), so the reference can't drift from the model, and it
follows the model wherever its classes live. The page keeps its handwritten prose (the IdP defaults
table, rules that span values, examples) around the generated blocks, which sit between markers:

    <!-- BEGIN generated: config reference clusters -->
    …
    <!-- END generated: config reference clusters -->

There is one block for the top level and one per top-level key. Within a block every object the key
can hold gets a table (`key | required | default | description`): a key whose value is one of several
types (identity providers by `type`, clusters by `type`) gets the keys every type shares once, then
one table per type; an object inside an object (a cluster's `create`) gets its own table after it.
A new type, kind or key appears in the generated block with no change here.

    python -m stacks.config.reference --write docs/configuration.md   # regenerate the blocks
    python -m stacks.config.reference --check docs/configuration.md   # exit 1 when they are stale
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacks.config.schema import config_schema

PAGE = "docs/configuration.md"
TOP_LEVEL = "top-level"
"""The name of the block of the top-level keys (the others are named after their key)."""
_MARKERS = re.compile(
    r"<!-- BEGIN generated: config reference (?P<name>[a-z_-]+) -->\n"
    r"(?P<body>.*?)"
    r"<!-- END generated: config reference (?P=name) -->",
    flags=re.DOTALL,
)
_COMMAND = f"python -m stacks.config.reference --write {PAGE}"


class ReferenceError(Exception):
    """The page's markers don't match the blocks the schema gives (a missing, unknown or repeated one)."""


def begin_marker(name: str) -> str:
    return f"<!-- BEGIN generated: config reference {name} -->"


def end_marker(name: str) -> str:
    return f"<!-- END generated: config reference {name} -->"


# --- reading the schema ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Object:
    """An object the config can hold at `path`: its schema, and its `type` value when it is one of
    several variants told apart by `type`."""

    path: str
    schema: Mapping[str, Any]
    variant: str | None = None


class _Schema:
    """The schema with its `$ref`s resolved against `$defs`."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.root = schema
        self._defs: Mapping[str, Mapping[str, Any]] = schema.get("$defs", {})

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """`node` with a `$ref` followed (its own keywords, e.g. a default, win over the target's)."""
        ref = node.get("$ref")
        if ref is None:
            return node
        target = self.resolve(self._defs[ref.removeprefix("#/$defs/")])
        return {**target, **{key: value for key, value in node.items() if key != "$ref"}}

    def without_null(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """The non-null alternative of an optional value (`anyOf: [X, {type: null}]`), resolved."""
        node = self.resolve(node)
        options = [option for option in node.get("anyOf", ()) if option.get("type") != "null"]
        if len(options) == 1 and len(node["anyOf"]) == 2:
            return {**self.resolve(options[0]), **{key: value for key, value in node.items() if key != "anyOf"}}
        return node

    def objects(self, path: str, node: Mapping[str, Any]) -> list[_Object]:
        """The objects (with properties) a value at `path` can be — itself, each variant of a `oneOf`, the
        values of a map, the items of a list — each as its own definition says it (its description
        included, not the one of the key that holds it)."""
        node = self.resolve(node)
        options = [option for option in node.get("anyOf", ()) if option.get("type") != "null"]
        if len(options) == 1:
            return self.objects(path, options[0])
        if "properties" in node:
            return [_Object(path, node)]
        if "oneOf" in node:
            variants = [self.resolve(option) for option in node["oneOf"]]
            return [_Object(path, variant, _type_of(variant)) for variant in variants if "properties" in variant]
        if node.get("type") == "object" and "patternProperties" in node:
            (value,) = node["patternProperties"].values()
            return self.objects(f"{path}.<name>", value)
        if node.get("type") == "array" and "items" in node:
            return self.objects(f"{path}[]", node["items"])
        return []


def _type_of(variant: Mapping[str, Any]) -> str | None:
    type_schema = variant["properties"].get("type", {})
    value = type_schema.get("const")
    return value if isinstance(value, str) else None


# --- writing Markdown -----------------------------------------------------------------------------


def _code(text: str) -> str:
    """Inline code that holds `text` exactly, whatever backticks it has."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _as_written(value: Any) -> str:
    """A value as YAML flow style writes it (`false`, `[8000, 18000]`, `{type: local}`); a key without a value
    (null) is left out, as a config leaves it out."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(_as_written, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_as_written(item)}" for key, item in value.items() if item is not None) + "}"
    return str(value)


def _cell(text: str) -> str:
    """Text for one table cell: one line, and a `|` that can't end the cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _range(low: int | None, high: int | None, unit: str) -> str:
    """`1 to 8 entries`, `at least 1 entry`, `at most 50 entries`; without a unit, `1024 to 65535`."""

    def count(number: object) -> str:
        return f"{number} {unit[:-3] + 'y' if number == 1 and unit.endswith('ies') else unit}".rstrip()

    if low is not None and high is not None:
        return f"{low} to {count(high)}"
    return f"at least {count(low)}" if low is not None else f"at most {count(high)}"


def _facts(schema: _Schema, node: Mapping[str, Any]) -> list[str]:
    """What the schema says about a value beyond its description: its constant, its choices, its bounds
    and pattern, and the same of its items or map keys."""
    node = schema.without_null(node)
    facts = []
    if "const" in node:
        facts.append(f"always {_code(_as_written(node['const']))}")
    if "enum" in node:
        facts.append("one of " + ", ".join(_code(_as_written(choice)) for choice in node["enum"]))
    if "minimum" in node or "maximum" in node:
        facts.append(_range(node.get("minimum"), node.get("maximum"), ""))
    if "pattern" in node:
        facts.append(f"matches {_code(node['pattern'])}")
    if "minItems" in node or "maxItems" in node:
        facts.append(_range(node.get("minItems"), node.get("maxItems"), "entries"))
    if "minProperties" in node:
        facts.append(_range(node["minProperties"], None, "entries"))
    if node.get("type") == "array" and "items" in node:
        item_facts = _facts(schema, node["items"])
        facts += [f"each {fact}" for fact in item_facts]
    if "patternProperties" in node:
        (pattern,) = node["patternProperties"]
        facts.append(f"names match {_code(pattern)}")
    return facts


def _is_refused(node: Mapping[str, Any]) -> bool:
    return node.get("not") == {}


def _description(schema: _Schema, node: Mapping[str, Any]) -> str:
    """The value's description, then what the schema says of it (unless it is refused anyway)."""
    text = (node.get("description") or schema.without_null(node).get("description") or "").strip()
    facts = [] if _is_refused(node) else _facts(schema, node)
    if facts:
        sentence = "; ".join(facts)
        sentence = sentence[0].upper() + sentence[1:] + "."
        text = f"{text if text.endswith('.') else text + '.'} {sentence}" if text else sentence
    return _cell(text)


def _row(schema: _Schema, name: str, node: Mapping[str, Any], required: bool) -> str:
    needed = "refused" if _is_refused(node) else ("yes" if required else "no")
    default = node.get("default")
    shown = "" if default is None or "const" in node else _code(_as_written(default))
    return f"| {_code(name)} | {needed} | {shown} | {_description(schema, node)} |"


_HEADER = "| key | required | default | description |\n|---|---|---|---|"


def _table(schema: _Schema, properties: Mapping[str, Any], required: Sequence[str]) -> str:
    rows = [_row(schema, name, node, name in required) for name, node in properties.items()]
    return "\n".join([_HEADER, *rows])


def _heading(obj: _Object) -> str:
    """`clusters.<name>` (`type: eks`): where the object sits, and which variant it is."""
    return f"{_code(obj.path)} (`type: {obj.variant}`)" if obj.variant else _code(obj.path)


def _shared_keys(objects: Sequence[_Object]) -> list[str]:
    """The keys (other than `type`) every variant has, with the schema and the need of the first in most of
    them: shown once for all. A variant that tightens such a key (an `oidc` IdP requires `issuer_url`) shows it
    again in its own table (`_own_keys`)."""
    first = objects[0].schema
    return [
        name
        for name, node in first["properties"].items()
        if name != "type"
        and all(name in other.schema["properties"] for other in objects[1:])
        and sum(_same_key(first, other.schema, name) for other in objects) * 2 > len(objects)
    ]


def _same_key(first: Mapping[str, Any], other: Mapping[str, Any], name: str) -> bool:
    return other["properties"][name] == first["properties"][name] and (name in other.get("required", ())) == (
        name in first.get("required", ())
    )


def _own_keys(first: _Object, obj: _Object, shared: Sequence[str]) -> dict[str, Any]:
    """The keys of `obj`'s own table: those not shared, and the shared ones it has otherwise."""
    return {
        name: node
        for name, node in obj.schema["properties"].items()
        if name not in shared or not _same_key(first.schema, obj.schema, name)
    }


def _object_sections(schema: _Schema, objects: Sequence[_Object]) -> Iterator[str]:
    """The tables of the objects a key can hold, and then of the objects inside them."""
    shared = _shared_keys(objects) if len(objects) > 1 else []
    if shared:
        first = objects[0]
        properties = {name: first.schema["properties"][name] for name in shared}
        yield f"### {_code(first.path)}: every `type`\n\n" + _table(
            schema, properties, first.schema.get("required", ())
        )
    for obj in objects:
        properties = _own_keys(objects[0], obj, shared)
        parts = []
        if obj.variant or len(objects) > 1:
            parts.append(f"### {_heading(obj)}")
        if obj.schema.get("description"):
            parts.append(_cell(obj.schema["description"]))
        parts.append(_table(schema, properties, obj.schema.get("required", ())))
        yield "\n\n".join(parts)
        for name, node in obj.schema["properties"].items():
            inner = schema.objects(f"{obj.path}.{name}", node)
            if inner and all(inner_obj.variant is None for inner_obj in inner):
                inner = [_Object(inner_obj.path, inner_obj.schema, obj.variant) for inner_obj in inner]
                yield from _object_sections(schema, inner)


def reference_blocks(document: Mapping[str, Any] | None = None) -> dict[str, str]:
    """{block name: its Markdown}: the top-level keys, then one block per top-level key with the tables
    of everything under it. `document`: a JSON Schema (default: the config's)."""
    schema = _Schema(config_schema() if document is None else document)
    root = schema.root
    blocks = {TOP_LEVEL: _table(schema, root["properties"], root.get("required", ()))}
    for key, node in root["properties"].items():
        objects = schema.objects(key, node)
        if objects:
            blocks[key] = "\n\n".join(_object_sections(schema, objects))
    return blocks


# --- the page -------------------------------------------------------------------------------------


def updated(page: str, blocks: Mapping[str, str]) -> str:
    """`page` with each block's markers holding that block. Raises ReferenceError when a block has no
    markers on the page, or the page has markers of a block the schema doesn't give, or twice."""
    found = [match["name"] for match in _MARKERS.finditer(page)]
    problems = [f"no markers for the block {name!r}" for name in blocks if name not in found]
    problems += [f"markers of an unknown block {name!r}" for name in found if name not in blocks]
    problems += [f"the block {name!r} twice" for name in sorted({n for n in found if found.count(n) > 1})]
    problems += [
        f"a lone marker of {marker!r}"
        for marker in sorted(set(re.findall(r"<!-- (?:BEGIN|END) generated: config reference ([^ ]+) -->", page)))
        if marker not in found
    ]
    if problems:
        raise ReferenceError(
            "; ".join(problems) + f" (each block goes between {begin_marker('<name>')} and {end_marker('<name>')})"
        )
    return _MARKERS.sub(lambda match: _block(match["name"], blocks[match["name"]]), page)


def _block(name: str, body: str) -> str:
    return f"{begin_marker(name)}\n{body}\n{end_marker(name)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stacks.config.reference",
        description="Regenerate (--write) or check (--check) the config reference tables of a docs page.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the generated blocks in PAGE")
    mode.add_argument("--check", action="store_true", help="exit 1 when the blocks in PAGE are stale")
    parser.add_argument("page", type=Path, metavar="PAGE", help=f"the page, e.g. {PAGE}")
    args = parser.parse_args(argv)
    try:
        text = args.page.read_text(encoding="utf-8")
        new = updated(text, reference_blocks())
    except (OSError, UnicodeError, ReferenceError) as error:
        print(f"error: {args.page}: {error}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            print(f"{args.page}: the config reference is stale: run {_COMMAND}", file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.page.write_text(new, encoding="utf-8")
        print(f"{args.page}: config reference regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

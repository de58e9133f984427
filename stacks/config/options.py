"""One declaration per option: a config key that is a construct's prop is declared once, in the props.

The config model takes the prop's default and description from there (`option`), so the config model, the
JSON Schema and the config reference say what the library says; and a config entry hands its values to the
props by name (`option_values`), so no mapping lists the options a second time.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import textwrap
from typing import Any

from pydantic import BaseModel, Field


def option(props: type, name: str) -> Any:
    """The pydantic field of the config key `name`: the default and description of the prop `name` of `props`.

    The description is the prop's docstring up to its first blank line (what follows is for library users
    only, such as which values may be cdktf tokens). A tuple default becomes a list: YAML gives sequences."""
    (prop,) = [field for field in dataclasses.fields(props) if field.name == name]
    description = prop_descriptions(props)[name]
    if prop.default is dataclasses.MISSING:
        return Field(description=description)
    default = list(prop.default) if isinstance(prop.default, tuple) else prop.default
    return Field(default=default, description=description)


@functools.cache
def prop_descriptions(props: type) -> dict[str, str]:
    """{field: the first paragraph of its docstring} of a props dataclass and the classes it extends."""
    descriptions: dict[str, str] = {}
    for cls in reversed(props.__mro__):
        if not dataclasses.is_dataclass(cls):
            continue
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
        assert isinstance(body, ast.ClassDef)
        for statement, following in zip(body.body, body.body[1:], strict=False):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                descriptions[statement.target.id] = inspect.cleandoc(following.value.value).split("\n\n")[0]
    return descriptions


def option_values(entry: BaseModel, props: type) -> dict[str, Any]:
    """The entry's values of the props' fields of the same name (lists as tuples: props are frozen)."""
    names = {field.name for field in dataclasses.fields(props)} & set(type(entry).model_fields)
    return {name: _frozen(getattr(entry, name)) for name in sorted(names)}


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value

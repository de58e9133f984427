"""YAML that Kubernetes tools read back exactly as written.

kubectl parses YAML 1.1 (go-yaml): a plain `y`, `on` or `no` is a boolean there, though PyYAML writes
`y` unquoted. So only strings made of letters, digits and `_./-` that start with a letter and are no
YAML 1.1 keyword stay plain; every other string is double-quoted, where PyYAML escapes quotes,
backslashes, control characters and Unicode line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*\Z")
_YAML11_KEYWORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})

_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when built with it


class _Dumper(_BaseDumper):  # type: ignore[misc]
    pass


def _represent_str(dumper: yaml.representer.BaseRepresenter, value: str) -> yaml.ScalarNode:
    plain = _PLAIN.match(value) is not None and value.lower() not in _YAML11_KEYWORDS
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _represent_str)

_OPTIONS: dict[str, Any] = {"Dumper": _Dumper, "sort_keys": False, "allow_unicode": True, "width": 1 << 30}


def dump_yaml(data: Any) -> str:
    """One YAML document."""
    text: str = yaml.dump(data, **_OPTIONS)
    return text


def dump_yaml_documents(documents: Iterable[Any]) -> str:
    """A multi-document stream, each document opened with `---`."""
    text: str = yaml.dump_all(documents, explicit_start=True, **_OPTIONS)
    return text

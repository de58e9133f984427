"""Hypothesis: whatever the YAML, the loader returns a Config or raises UserError with a message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stacks.config import Config, parse_config
from stacks.config.schema import config_schema
from stacks.errors import UserError

EXAMPLE_CONFIG = Path(__file__).resolve().parents[3] / "oidc.yaml"
SCHEMA = jsonschema.Draft202012Validator(config_schema())
EXAMPLE = yaml.safe_load(EXAMPLE_CONFIG.read_text(encoding="utf-8"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["okta", "eks", "gke", "cloud", "https://x.example/", "1.33", "10.0.0.0/8", "0.0.0.0/0", "openid"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def outcome(text: str) -> Config | UserError:
    """The model's verdict; a config it accepts must validate against the JSON Schema too (contract 8)."""
    try:
        config = parse_config(text, Path("fuzz.yaml"))
    except UserError as error:
        assert error.problems, "a UserError must say what is wrong"
        assert all(str(problem) for problem in error.problems)
        assert error.render().startswith("error: fuzz.yaml")
        return error
    errors = [error.message for error in SCHEMA.iter_errors(yaml.safe_load(text))]
    assert errors == [], "the model accepted a config the schema refuses"
    return config


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    outcome(text)


@settings(max_examples=300, deadline=None)
@given(values)
def test_arbitrary_yaml_documents_never_crash(document: Any) -> None:
    outcome(yaml.safe_dump(document))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


EXAMPLE_PATHS = _paths(EXAMPLE)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(EXAMPLE_PATHS), st.one_of(st.just("<delete>"), values)), max_size=3))
def test_mutations_of_the_example_load_or_fail_cleanly(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    document = copy.deepcopy(EXAMPLE)
    for path, value in mutations:
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            if value == "<delete>":
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    outcome(yaml.safe_dump(document, sort_keys=False))

"""The base of every `oidc.yaml` model (stacks/config/strict_model.py): unknown keys are errors, values are
taken as YAML gives them (no coercion), a loaded model can't be changed, and field docstrings become the
JSON Schema's descriptions."""

from __future__ import annotations

import pydantic
import pytest

from stacks.config.strict_model import StrictModel


class Example(StrictModel):
    port: int
    """The port kubelogin listens on."""
    version: str = "1.30"


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(pydantic.ValidationError) as raised:
        Example.model_validate({"port": 8000, "prot": 1})
    assert [(error["loc"], error["type"]) for error in raised.value.errors()] == [(("prot",), "extra_forbidden")]


@pytest.mark.parametrize(("field", "value"), [("port", "8000"), ("version", 1.3), ("port", 8000.0)])
def test_a_value_of_another_type_is_not_converted(field: str, value: object) -> None:
    """YAML reads an unquoted 1.30 as the number 1.3: taking it as the text "1.3" would hide the mistake."""
    with pytest.raises(pydantic.ValidationError):
        Example.model_validate({"port": 8000, field: value})


def test_a_loaded_model_cannot_be_changed() -> None:
    example = Example.model_validate({"port": 8000})
    with pytest.raises(pydantic.ValidationError):
        example.port = 9000  # type: ignore[misc]


def test_field_docstrings_are_the_schema_descriptions() -> None:
    assert Example.model_json_schema()["properties"]["port"]["description"] == "The port kubelogin listens on."

"""Client secrets stay sensitive: no default, never in a plain output.

The rule of the module of this name: compliant on what the constructs synthesise, and a finding for each way
of breaking it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from security_rule_support import (
    Stack,
    add_output,
    assert_passes,
    assert_reports_only,
    default_secret,
    secret_variable_without_sensitive,
    unsensitive_variable,
)

from constructs_lib.idp.security_rules import blocks
from constructs_lib.idp.security_rules.secrets_stay_sensitive import secrets_stay_sensitive

BREAKAGES: list[tuple[str, Callable[[Stack], None], str]] = [
    ("google", unsensitive_variable, "holds a secret but is not sensitive"),
    ("jumpcloud_web", default_secret("hunter2"), "holds a secret but has a default value"),
    # Even an empty default: the secret would silently become optional.
    ("jumpcloud_web", default_secret(""), "holds a secret but has a default value"),
    ("google", secret_variable_without_sensitive, "holds a secret but is not sensitive"),
    (
        "google",
        add_output(sensitive=None),
        "references sensitive var.google_workspace_client_secret but is not sensitive",
    ),
    (
        "google",
        add_output(sensitive=False),
        "references sensitive var.google_workspace_client_secret but is not sensitive",
    ),
]


@pytest.mark.parametrize("family", ["google", "jumpcloud_web"])
def test_passes_on_what_the_constructs_make(family: str, compliant: dict[str, Stack]) -> None:
    assert_passes(secrets_stay_sensitive, compliant[family])


@pytest.mark.parametrize(
    ("family", "mutate", "message"), BREAKAGES, ids=[f"{family}-{message}" for family, _, message in BREAKAGES]
)
def test_reports_each_breakage(
    family: str, mutate: Callable[[Stack], None], message: str, compliant: dict[str, Stack]
) -> None:
    assert_reports_only(secrets_stay_sensitive, compliant[family], mutate, message)


def test_a_sensitive_output_of_the_secret_passes(compliant: dict[str, Stack]) -> None:
    stack = copy.deepcopy(compliant["google"])
    add_output(sensitive=True)(stack)
    assert secrets_stay_sensitive(stack) == []


@pytest.mark.parametrize(
    ("family", "type_", "attribute"),
    [("okta_web", "okta_app_oauth", "client_secret"), ("entra_web", "azuread_application_password", "value")],
)
@pytest.mark.parametrize("sensitive", [None, False, True])
def test_an_output_of_a_secret_attribute_must_be_sensitive(
    family: str, type_: str, attribute: str, sensitive: bool | None, compliant: dict[str, Stack]
) -> None:
    stack = copy.deepcopy(compliant[family])
    (name,) = blocks(stack, "resource", type_)
    output: dict[str, Any] = {"value": f"${{{type_}.{name}.{attribute}}}"}
    if sensitive is not None:
        output["sensitive"] = sensitive
    stack["output"] = {"leak": output}
    expected = [] if sensitive else [f"references sensitive {type_}.{name}.{attribute} but is not sensitive"]
    assert [finding.message for finding in secrets_stay_sensitive(stack)] == expected


def test_variables_not_named_like_secrets_are_not_held_to_the_secret_rules(compliant: dict[str, Stack]) -> None:
    """A plain setting may have a default, be non-sensitive and be shown in a plain output."""
    stack = copy.deepcopy(compliant["google"])
    stack["variable"]["region"] = {"type": "string", "default": "us-west-2"}
    stack["output"] = {"region": {"value": "${var.region}"}}
    assert secrets_stay_sensitive(stack) == []

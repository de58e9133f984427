"""Every Entra ID app requires assignment (only the assigned groups sign in); kubelogin's is a public client.

The rule of the module of this name: compliant on what the constructs synthesise, and a finding for each way
of breaking it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from security_rule_support import (
    Stack,
    add_public_client,
    assert_passes,
    assert_reports_only,
    drop_from_first,
    first,
    implicit_id_tokens,
    rename_to_application_id,
    set_in_first,
    web_redirect,
)

from constructs_lib.idp.security_rules.entra_app_is_a_public_client_that_requires_assignment import (
    entra_app_is_a_public_client_that_requires_assignment,
)

BREAKAGES: list[tuple[str, Callable[[Stack], None], str]] = [
    (
        "entra",
        set_in_first("azuread_application", "single_page_application", {"redirect_uris": ["http://localhost:8000/"]}),
        "redirect URIs on the single-page-application platform",
    ),
    ("entra", web_redirect, "redirect URIs on the web platform"),
    ("entra", implicit_id_tokens, "implicit grant enabled"),
    (
        "entra",
        set_in_first("azuread_application", "fallback_public_client_enabled", True),
        "fallback_public_client_enabled (device code / password flows)",
    ),
    (
        "entra",
        set_in_first("azuread_service_principal", "app_role_assignment_required", False),
        "app_role_assignment_required is not true",
    ),
    ("entra", rename_to_application_id, "uses `application_id` (azuread v3: `client_id`)"),
    ("entra_web", add_public_client, "redirect URIs on the web platform"),
    (
        "entra_web",
        set_in_first("azuread_service_principal", "app_role_assignment_required", False),
        "app_role_assignment_required is not true",
    ),
    # azuread's default is false: a service principal that doesn't say so lets every user of the tenant in.
    *[
        (family, mutate, "app_role_assignment_required is not true")
        for family in ("entra", "entra_web")
        for mutate in (
            drop_from_first("azuread_service_principal", "app_role_assignment_required"),
            set_in_first("azuread_service_principal", "app_role_assignment_required", None),
        )
    ],
]


@pytest.mark.parametrize("family", ["entra", "entra_web"])
def test_passes_on_what_the_constructs_make(family: str, compliant: dict[str, Stack]) -> None:
    assert_passes(entra_app_is_a_public_client_that_requires_assignment, compliant[family])


@pytest.mark.parametrize(
    ("family", "mutate", "message"), BREAKAGES, ids=[f"{family}-{message}" for family, _, message in BREAKAGES]
)
def test_reports_each_breakage(
    family: str, mutate: Callable[[Stack], None], message: str, compliant: dict[str, Stack]
) -> None:
    assert_reports_only(entra_app_is_a_public_client_that_requires_assignment, compliant[family], mutate, message)


def test_an_application_password_may_name_its_application_by_application_id(compliant: dict[str, Stack]) -> None:
    """azuread v3's `application_id` of a password is the application's resource id, not the v2 name."""
    assert "application_id" in first(compliant["entra_web"], "azuread_application_password")
    assert entra_app_is_a_public_client_that_requires_assignment(compliant["entra_web"]) == []

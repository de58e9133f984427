"""An Entra ID web app (a workforce pool's client) is confidential, without the implicit grant, redirecting to
https URLs of public hosts.

The rule of the module of this name: compliant on what the constructs synthesise, and a finding for each way
of breaking it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from security_rule_support import (
    NOT_A_WEB_REDIRECT,
    Stack,
    assert_passes,
    assert_reports_only,
    implicit_id_tokens,
    set_in_first,
    web_redirect_of_web_app,
)

from constructs_lib.idp.security_rules.entra_web_app_is_a_confidential_client_without_implicit_grant import (
    entra_web_app_is_a_confidential_client_without_implicit_grant,
)

BREAKAGES: list[tuple[str, Callable[[Stack], None], str]] = [
    (
        "entra_web",
        web_redirect_of_web_app("http://localhost:8000/"),
        "redirect URI 'http://localhost:8000/' is not an https URL of a public host",
    ),
    ("entra_web", implicit_id_tokens, "implicit grant enabled"),
    (
        "entra_web",
        set_in_first("azuread_application", "single_page_application", {"redirect_uris": ["https://a.example/"]}),
        "redirect URIs on the single-page-application platform",
    ),
    (
        "entra_web",
        set_in_first("azuread_application", "fallback_public_client_enabled", True),
        "fallback_public_client_enabled (device code / password flows)",
    ),
    *[
        ("entra_web", web_redirect_of_web_app(uri), f"redirect URI {uri!r} is not an https URL of a public host")
        for uri in NOT_A_WEB_REDIRECT
    ],
]


@pytest.mark.parametrize("family", ["entra_web"])
def test_passes_on_what_the_constructs_make(family: str, compliant: dict[str, Stack]) -> None:
    assert_passes(entra_web_app_is_a_confidential_client_without_implicit_grant, compliant[family])


@pytest.mark.parametrize(
    ("family", "mutate", "message"), BREAKAGES, ids=[f"{family}-{message}" for family, _, message in BREAKAGES]
)
def test_reports_each_breakage(
    family: str, mutate: Callable[[Stack], None], message: str, compliant: dict[str, Stack]
) -> None:
    assert_reports_only(
        entra_web_app_is_a_confidential_client_without_implicit_grant, compliant[family], mutate, message
    )

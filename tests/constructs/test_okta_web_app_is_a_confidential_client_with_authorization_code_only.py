"""An Okta web app (a workforce pool's client) is a confidential client, authorization code only, redirecting
to https URLs of public hosts.

The rule of the module of this name: compliant on what the constructs synthesise, and a finding for each way
of breaking it."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from security_rule_support import (
    NOT_A_WEB_REDIRECT,
    Stack,
    assert_passes,
    assert_reports_only,
    set_in_first,
)

from constructs_lib.idp.security_rules.okta_app_is_a_public_client_with_pkce import (
    okta_app_is_a_public_client_with_pkce,
)
from constructs_lib.idp.security_rules.okta_web_app_is_a_confidential_client_with_authorization_code_only import (
    okta_web_app_is_a_confidential_client_with_authorization_code_only,
)

BREAKAGES: list[tuple[str, Callable[[Stack], None], str]] = [
    (
        "okta_web",
        set_in_first("okta_app_oauth", "token_endpoint_auth_method", "none"),
        "token_endpoint_auth_method is 'none'",
    ),
    (
        "okta_web",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", "implicit"]),
        "grant_types is ['authorization_code', 'implicit']",
    ),
    (
        "okta_web",
        set_in_first("okta_app_oauth", "response_types", ["code", "id_token"]),
        "response_types is ['code', 'id_token']",
    ),
    ("okta_web", set_in_first("okta_app_oauth", "omit_secret", True), "omit_secret is True"),
    (
        "okta_web",
        set_in_first("okta_app_oauth", "redirect_uris", ["http://localhost:8000"]),
        "redirect URI 'http://localhost:8000' is not an https URL of a public host",
    ),
    (
        "okta_web",
        set_in_first("okta_app_oauth", "redirect_uris", ["https://127.0.0.1/callback"]),
        "redirect URI 'https://127.0.0.1/callback' is not an https URL of a public host",
    ),
    ("okta_web", set_in_first("okta_app_oauth", "redirect_uris", []), "no redirect_uris"),
    *[
        ("okta_web", set_in_first("okta_app_oauth", "redirect_uris", [uri]), message)
        for uri in [*NOT_A_WEB_REDIRECT, None]
        for message in [f"redirect URI {uri!r} is not an https URL of a public host"]
    ],
]


@pytest.mark.parametrize("family", ["okta_web"])
def test_passes_on_what_the_constructs_make(family: str, compliant: dict[str, Stack]) -> None:
    assert_passes(okta_web_app_is_a_confidential_client_with_authorization_code_only, compliant[family])


@pytest.mark.parametrize(
    ("family", "mutate", "message"), BREAKAGES, ids=[f"{family}-{message}" for family, _, message in BREAKAGES]
)
def test_reports_each_breakage(
    family: str, mutate: Callable[[Stack], None], message: str, compliant: dict[str, Stack]
) -> None:
    assert_reports_only(
        okta_web_app_is_a_confidential_client_with_authorization_code_only, compliant[family], mutate, message
    )


def test_a_kubelogin_app_turned_into_a_web_app_is_caught_by_the_web_rule(compliant: dict[str, Stack]) -> None:
    stack = copy.deepcopy(compliant["okta"])
    set_in_first("okta_app_oauth", "type", "web")(stack)
    assert okta_app_is_a_public_client_with_pkce(stack) == []
    assert [
        finding.message for finding in okta_web_app_is_a_confidential_client_with_authorization_code_only(stack)
    ] == [
        "token_endpoint_auth_method is 'none'",
        "omit_secret is True",
        "redirect URI 'http://localhost:8000' is not an https URL of a public host",
        "redirect URI 'http://localhost:18000' is not an https URL of a public host",
    ]

"""kubelogin's Okta app is a public client with PKCE: no secret, authorization code (plus the refresh
token and device grants where opted in), rotating refresh tokens.

The rule of the module of this name: compliant on what the constructs synthesise, and a finding for each way
of breaking it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from security_rule_support import (
    Stack,
    assert_passes,
    assert_reports_only,
    set_in_first,
)

from constructs_lib.idp.security_rules.okta_app_is_a_public_client_with_pkce import (
    okta_app_is_a_public_client_with_pkce,
)
from constructs_lib.idp.security_rules.okta_grants import DEVICE_CODE

BREAKAGES: list[tuple[str, Callable[[Stack], None], str]] = [
    ("okta", set_in_first("okta_app_oauth", "pkce_required", False), "pkce_required is False"),
    (
        "okta",
        set_in_first("okta_app_oauth", "token_endpoint_auth_method", "client_secret_basic"),
        "token_endpoint_auth_method is 'client_secret_basic'",
    ),
    (
        "okta",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", "implicit"]),
        "grant_types is ['authorization_code', 'implicit']",
    ),
    (
        "okta",
        set_in_first("okta_app_oauth", "response_types", ["code", "token"]),
        "response_types is ['code', 'token']",
    ),
    (
        "okta_refresh",
        set_in_first("okta_app_oauth", "refresh_token_rotation", "STATIC"),
        "refresh_token_rotation is 'STATIC'",
    ),
    (
        "okta_device",
        set_in_first("okta_app_oauth", "refresh_token_rotation", "STATIC"),
        "refresh_token_rotation is 'STATIC'",
    ),
    (
        "okta_device",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", DEVICE_CODE, "password"]),
        "grant_types is ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code', 'password']",
    ),
    (
        "okta",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", "refresh_token"]),
        "refresh_token_rotation is None",
    ),
    (
        "okta_refresh",
        set_in_first("okta_app_oauth", "grant_types", ["refresh_token"]),
        "grant_types is ['refresh_token']",
    ),
]


@pytest.mark.parametrize("family", ["okta", "okta_refresh", "okta_device"])
def test_passes_on_what_the_constructs_make(family: str, compliant: dict[str, Stack]) -> None:
    assert_passes(okta_app_is_a_public_client_with_pkce, compliant[family])


@pytest.mark.parametrize(
    ("family", "mutate", "message"), BREAKAGES, ids=[f"{family}-{message}" for family, _, message in BREAKAGES]
)
def test_reports_each_breakage(
    family: str, mutate: Callable[[Stack], None], message: str, compliant: dict[str, Stack]
) -> None:
    assert_reports_only(okta_app_is_a_public_client_with_pkce, compliant[family], mutate, message)

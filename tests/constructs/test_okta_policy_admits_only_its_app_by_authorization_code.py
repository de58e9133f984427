"""The Okta authorization server's policy admits only its own app, by the grants kubelogin's app may have.

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

from constructs_lib.idp.security_rules.okta_grants import DEVICE_CODE
from constructs_lib.idp.security_rules.okta_policy_admits_only_its_app_by_authorization_code import (
    okta_policy_admits_only_its_app_by_authorization_code,
)

BREAKAGES: list[tuple[str, Callable[[Stack], None], str]] = [
    (
        "okta_device",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", [DEVICE_CODE]),
        "grant_type_whitelist is ['urn:ietf:params:oauth:grant-type:device_code']",
    ),
    (
        "okta_refresh",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", ["refresh_token", "implicit"]),
        "grant_type_whitelist is ['refresh_token', 'implicit']",
    ),
    (
        "okta",
        set_in_first("okta_auth_server_policy", "client_whitelist", ["ALL_CLIENTS"]),
        "client_whitelist is ['ALL_CLIENTS']",
    ),
    (
        "okta",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", ["authorization_code", "password"]),
        "grant_type_whitelist is ['authorization_code', 'password']",
    ),
    (
        "okta_web",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", ["authorization_code", "implicit"]),
        "grant_type_whitelist is ['authorization_code', 'implicit']",
    ),
]


@pytest.mark.parametrize("family", ["okta_refresh", "okta_device", "okta", "okta_web"])
def test_passes_on_what_the_constructs_make(family: str, compliant: dict[str, Stack]) -> None:
    assert_passes(okta_policy_admits_only_its_app_by_authorization_code, compliant[family])


@pytest.mark.parametrize(
    ("family", "mutate", "message"), BREAKAGES, ids=[f"{family}-{message}" for family, _, message in BREAKAGES]
)
def test_reports_each_breakage(
    family: str, mutate: Callable[[Stack], None], message: str, compliant: dict[str, Stack]
) -> None:
    assert_reports_only(okta_policy_admits_only_its_app_by_authorization_code, compliant[family], mutate, message)

"""What every security rule shares (constructs_lib/idp/security_rules/findings.py): reading a stack's blocks,
what counts as a web redirect, and a finding per mismatched key."""

from __future__ import annotations

import pytest
from security_rule_support import NOT_A_WEB_REDIRECT

from constructs_lib.idp.security_rules.findings import Finding, blocks, is_web_redirect_uri, mismatches


def test_blocks_are_the_named_bodies_of_one_type_and_kind() -> None:
    stack = {"resource": {"okta_app_oauth": {"app": {"type": "native"}}}, "data": {"okta_app_oauth": {"d": {}}}}
    assert blocks(stack, "resource", "okta_app_oauth") == {"app": {"type": "native"}}
    assert blocks(stack, "resource", "azuread_application") == {}
    assert blocks({}, "output", "okta_app_oauth") == {}


@pytest.mark.parametrize(
    "uri",
    ["https://auth.cloud.google/signin-callback/x", "https://k8s.example.com:8443/callback"],
)
def test_https_urls_of_public_hosts_are_web_redirects(uri: str) -> None:
    assert is_web_redirect_uri(uri)


@pytest.mark.parametrize("uri", [*NOT_A_WEB_REDIRECT, "https://127.0.0.1/callback", None, 443])
def test_plain_http_loopback_hosts_and_non_text_are_not_web_redirects(uri: object) -> None:
    assert not is_web_redirect_uri(uri)


def test_a_finding_per_key_whose_value_is_not_the_expected_one() -> None:
    body = {"pkce_required": False, "type": "native"}
    expected = {"pkce_required": True, "type": "native", "omit_secret": True}
    assert mismatches("rule", "okta_app_oauth.app", body, expected) == [
        Finding("rule", "okta_app_oauth.app", "pkce_required is False"),
        Finding("rule", "okta_app_oauth.app", "omit_secret is None"),
    ]
    assert str(Finding("rule", "okta_app_oauth.app", "omit_secret is None")) == (
        "rule: okta_app_oauth.app: omit_secret is None"
    )

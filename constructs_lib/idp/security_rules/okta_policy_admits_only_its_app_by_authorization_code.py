"""Rule: an Okta access policy admits only its own app, by authorization code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_lib.idp.security_rules.findings import Finding, blocks
from constructs_lib.idp.security_rules.okta_grants import PUBLIC_CLIENT_GRANTS


def okta_policy_admits_only_its_app_by_authorization_code(stack: Mapping[str, Any]) -> list[Finding]:
    """Okta access policy: whitelists named clients (never ALL_CLIENTS); its rules grant the
    authorization code flow only (and the refresh token and device grants where they are opted in)."""
    findings = [
        Finding(
            "okta_policy_admits_only_its_app_by_authorization_code",
            f"okta_auth_server_policy.{name}",
            f"client_whitelist is {policy.get('client_whitelist')!r}",
        )
        for name, policy in blocks(stack, "resource", "okta_auth_server_policy").items()
        if not policy.get("client_whitelist") or "ALL_CLIENTS" in policy["client_whitelist"]
    ]
    findings += [
        Finding(
            "okta_policy_admits_only_its_app_by_authorization_code",
            f"okta_auth_server_policy_rule.{name}",
            f"grant_type_whitelist is {rule.get('grant_type_whitelist')!r}",
        )
        for name, rule in blocks(stack, "resource", "okta_auth_server_policy_rule").items()
        if rule.get("grant_type_whitelist") not in PUBLIC_CLIENT_GRANTS
    ]
    return findings

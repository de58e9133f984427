"""Rule: an Okta app other than a web app is kubelogin's public client, with PKCE."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_lib.idp.security_rules.findings import Finding, blocks, mismatches
from constructs_lib.idp.security_rules.okta_grants import PUBLIC_CLIENT_GRANTS


def okta_app_is_a_public_client_with_pkce(stack: Mapping[str, Any]) -> list[Finding]:
    """Okta app (every type but web): native, no client secret, PKCE required, authorization code only
    (no implicit flow) — or, refresh tokens opted in, authorization code and refresh token with rotation
    (`refresh_token_rotation = ROTATE`); either may add the device grant (`device_code`)."""
    rule = "okta_app_is_a_public_client_with_pkce"
    expected = {
        "type": "native",
        "token_endpoint_auth_method": "none",
        "pkce_required": True,
        "omit_secret": True,
        "response_types": ["code"],
    }
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "okta_app_oauth").items():
        if app.get("type") == "web":
            continue
        address = f"okta_app_oauth.{name}"
        findings += mismatches(rule, address, app, expected)
        grant_types = app.get("grant_types")
        if grant_types not in PUBLIC_CLIENT_GRANTS:
            findings.append(Finding(rule, address, f"grant_types is {grant_types!r}"))
        elif "refresh_token" in grant_types:
            findings += mismatches(rule, address, app, {"refresh_token_rotation": "ROTATE"})
    return findings

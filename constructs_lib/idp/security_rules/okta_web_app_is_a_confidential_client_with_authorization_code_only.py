"""Rule: an Okta web app is a confidential client that signs in by authorization code only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_lib.idp.security_rules.findings import Finding, blocks, is_web_redirect_uri, mismatches
from constructs_lib.idp.security_rules.okta_grants import AUTHORIZATION_CODE_ONLY


def okta_web_app_is_a_confidential_client_with_authorization_code_only(stack: Mapping[str, Any]) -> list[Finding]:
    """Okta web app: authenticates with its secret (kept, not omitted), authorization code only (no
    implicit flow), redirects only to https URLs of public hosts (a kubelogin app turned into a
    web app keeps its loopback URIs and is caught here)."""
    rule = "okta_web_app_is_a_confidential_client_with_authorization_code_only"
    expected = {
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": AUTHORIZATION_CODE_ONLY,
        "response_types": ["code"],
    }
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "okta_app_oauth").items():
        if app.get("type") != "web":
            continue
        address = f"okta_app_oauth.{name}"
        findings += mismatches(rule, address, app, expected)
        if app.get("omit_secret") is True:
            findings.append(Finding(rule, address, "omit_secret is True"))
        uris = app.get("redirect_uris") or []
        findings += [
            Finding(rule, address, f"redirect URI {uri!r} is not an https URL of a public host")
            for uri in uris
            if not is_web_redirect_uri(uri)
        ]
        if not uris:
            findings.append(Finding(rule, address, "no redirect_uris"))
    return findings

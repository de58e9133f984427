"""Security expectations of identity-provider stacks, checked on synthesised Terraform JSON.

In the manner of cdk-nag: each rule is a small function named after a plain sentence, returning its
findings (empty: compliant). `check_stack` runs them all. They hold for every stack the constructs of
this package make, and they let a CDKTF app that composes the constructs itself check its own stacks:

    findings = check_stack(json.loads(cdktf.Testing.synth(stack)))

cdktf-free: rules read the JSON only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

AUTHORIZATION_CODE_ONLY = ["authorization_code"]


@dataclass(frozen=True)
class Finding:
    rule: str
    address: str
    """`<type>.<name>` of the offending block (`output.<name>` / `variable.<name>` for those)."""
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.address}: {self.message}"


def blocks(stack: Mapping[str, Any], kind: str, type_: str) -> dict[str, dict[str, Any]]:
    """`{name: body}` of the blocks of one type, e.g. `blocks(stack, "resource", "okta_app_oauth")`."""
    return dict(stack.get(kind, {}).get(type_, {}))


def okta_app_is_a_public_client_with_pkce(stack: Mapping[str, Any]) -> list[Finding]:
    """Okta app: native, no client secret, PKCE required, authorization code only (no implicit flow)."""
    expected = {
        "type": "native",
        "token_endpoint_auth_method": "none",
        "pkce_required": True,
        "omit_secret": True,
        "grant_types": AUTHORIZATION_CODE_ONLY,
        "response_types": ["code"],
    }
    return [
        Finding("okta_app_is_a_public_client_with_pkce", f"okta_app_oauth.{name}", f"{key} is {app.get(key)!r}")
        for name, app in blocks(stack, "resource", "okta_app_oauth").items()
        for key, value in expected.items()
        if app.get(key) != value
    ]


def okta_policy_admits_only_its_app_by_authorization_code(stack: Mapping[str, Any]) -> list[Finding]:
    """Okta access policy: whitelists named clients (never ALL_CLIENTS); its rules grant the
    authorization code flow only."""
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
        if rule.get("grant_type_whitelist") != AUTHORIZATION_CODE_ONLY
    ]
    return findings


def entra_app_is_a_public_client_that_requires_assignment(stack: Mapping[str, Any]) -> list[Finding]:
    """Entra app: redirect URIs on the public client only (no SPA, no web), no implicit grant, no
    public-client fallback flows; its service principal requires assignment; azuread v3 names only."""
    rule = "entra_app_is_a_public_client_that_requires_assignment"
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "azuread_application").items():
        address = f"azuread_application.{name}"
        web = app.get("web", {})
        implicit = web.get("implicit_grant", {})
        problems = [
            "redirect URIs on the single-page-application platform" if app.get("single_page_application") else "",
            "redirect URIs on the web platform" if web.get("redirect_uris") else "",
            "implicit grant enabled" if any(implicit.get(key) for key in implicit) else "",
            "fallback_public_client_enabled (device code / password flows)"
            if app.get("fallback_public_client_enabled")
            else "",
            "no public_client redirect URIs" if not app.get("public_client", {}).get("redirect_uris") else "",
        ]
        findings += [Finding(rule, address, problem) for problem in problems if problem]
    findings += [
        Finding(rule, f"azuread_service_principal.{name}", "app_role_assignment_required is not true")
        for name, principal in blocks(stack, "resource", "azuread_service_principal").items()
        if principal.get("app_role_assignment_required") is not True
    ]
    # azuread v3 renamed `application_id` to `client_id`; the old name fails at plan time.
    findings += [
        Finding(rule, f"{kind}.{type_}", "uses `application_id` (azuread v3: `client_id`)")
        for kind in ("resource", "data")
        for type_, named in stack.get(kind, {}).items()
        if type_.startswith("azuread_") and re.search(r'"application_id"|\.application_id\b', json.dumps(named))
    ]
    return findings


def secrets_stay_sensitive(stack: Mapping[str, Any]) -> list[Finding]:
    """Variables named like secrets are sensitive, and so is every output that references a
    sensitive variable."""
    rule = "secrets_stay_sensitive"
    variables = stack.get("variable", {})
    findings = [
        Finding(rule, f"variable.{name}", "holds a secret but is not sensitive")
        for name, variable in variables.items()
        if "secret" in name and variable.get("sensitive") is not True
    ]
    sensitive = [name for name, variable in variables.items() if variable.get("sensitive") is True]
    findings += [
        Finding(rule, f"output.{name}", f"references sensitive var.{variable} but is not sensitive")
        for name, output in stack.get("output", {}).items()
        for variable in sensitive
        if re.search(rf"\bvar\.{re.escape(variable)}\b", json.dumps(output.get("value")))
        and output.get("sensitive") is not True
    ]
    return findings


RULES: tuple[Callable[[Mapping[str, Any]], list[Finding]], ...] = (
    okta_app_is_a_public_client_with_pkce,
    okta_policy_admits_only_its_app_by_authorization_code,
    entra_app_is_a_public_client_that_requires_assignment,
    secrets_stay_sensitive,
)


def check_stack(stack: Mapping[str, Any]) -> list[Finding]:
    """Every rule's findings for one stack's Terraform JSON (`cdk.tf.json`)."""
    return [finding for rule in RULES for finding in rule(stack)]

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
from urllib.parse import urlsplit

AUTHORIZATION_CODE_ONLY = ["authorization_code"]
AUTHORIZATION_CODE_AND_REFRESH = ["authorization_code", "refresh_token"]
"""kubelogin's app with refresh tokens opted in (`refresh_tokens`): still signs in by authorization code."""
DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
"""The device authorization grant (RFC 8628), which kubelogin's app may add (`device_code`): a public
client with PKCE for the browser sign-in still, no implicit or password grant."""
PUBLIC_CLIENT_GRANTS = (
    AUTHORIZATION_CODE_ONLY,
    AUTHORIZATION_CODE_AND_REFRESH,
    [*AUTHORIZATION_CODE_ONLY, DEVICE_CODE],
    [*AUTHORIZATION_CODE_AND_REFRESH, DEVICE_CODE],
)
"""Every grant list kubelogin's Okta app and policy rule may have, in the order the construct writes them."""
SECRET_ATTRIBUTES = {"okta_app_oauth": "client_secret", "azuread_application_password": "value"}
"""Resource attributes that hold a client secret: only ever referenced from sensitive outputs."""


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


def is_web_redirect_uri(uri: object) -> bool:
    """An https URL of a public (not loopback) host: where a confidential web client may send the code."""
    return (
        isinstance(uri, str)
        and uri.startswith("https://")
        and urlsplit(uri).hostname not in {None, "localhost", "127.0.0.1", "::1"}
    )


def _mismatches(rule: str, address: str, body: Mapping[str, Any], expected: Mapping[str, object]) -> list[Finding]:
    return [
        Finding(rule, address, f"{key} is {body.get(key)!r}")
        for key, value in expected.items()
        if body.get(key) != value
    ]


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
        findings += _mismatches(rule, address, app, expected)
        grant_types = app.get("grant_types")
        if grant_types not in PUBLIC_CLIENT_GRANTS:
            findings.append(Finding(rule, address, f"grant_types is {grant_types!r}"))
        elif "refresh_token" in grant_types:
            findings += _mismatches(rule, address, app, {"refresh_token_rotation": "ROTATE"})
    return findings


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
        findings += _mismatches(rule, address, app, expected)
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


def _is_entra_web_app(app: Mapping[str, Any]) -> bool:
    """Web redirect URIs and no public client: the confidential web client (the web rule's case)."""
    return bool(app.get("web", {}).get("redirect_uris")) and "public_client" not in app


def _entra_problems_of_every_app(app: Mapping[str, Any]) -> list[str]:
    implicit = app.get("web", {}).get("implicit_grant", {})
    problems = [
        "redirect URIs on the single-page-application platform" if app.get("single_page_application") else "",
        "implicit grant enabled" if any(implicit.get(key) for key in implicit) else "",
        "fallback_public_client_enabled (device code / password flows)"
        if app.get("fallback_public_client_enabled")
        else "",
    ]
    return [problem for problem in problems if problem]


def entra_app_is_a_public_client_that_requires_assignment(stack: Mapping[str, Any]) -> list[Finding]:
    """Entra app (all but web clients): redirect URIs on the public client only (no SPA, no web), no
    implicit grant, no public-client fallback flows; every service principal requires assignment;
    azuread v3 names only."""
    rule = "entra_app_is_a_public_client_that_requires_assignment"
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "azuread_application").items():
        if _is_entra_web_app(app):
            continue
        problems = [
            *(["redirect URIs on the web platform"] if app.get("web", {}).get("redirect_uris") else []),
            *_entra_problems_of_every_app(app),
            *([] if app.get("public_client", {}).get("redirect_uris") else ["no public_client redirect URIs"]),
        ]
        findings += [Finding(rule, f"azuread_application.{name}", problem) for problem in problems]
    findings += [
        Finding(rule, f"azuread_service_principal.{name}", "app_role_assignment_required is not true")
        for name, principal in blocks(stack, "resource", "azuread_service_principal").items()
        if principal.get("app_role_assignment_required") is not True
    ]
    # azuread v3 renamed `application_id` to `client_id`; the old name fails at plan time. The v3
    # sub-resources of an application (`azuread_application_password`, …) do take an `application_id`:
    # the application's resource id.
    findings += [
        Finding(rule, f"{kind}.{type_}", "uses `application_id` (azuread v3: `client_id`)")
        for kind in ("resource", "data")
        for type_, named in stack.get(kind, {}).items()
        if type_.startswith("azuread_")
        and re.search(
            r"\.application_id\b"
            if type_.startswith("azuread_application_")
            else r'"application_id"|\.application_id\b',
            json.dumps(named),
        )
    ]
    return findings


def entra_web_app_is_a_confidential_client_without_implicit_grant(stack: Mapping[str, Any]) -> list[Finding]:
    """Entra web app (web redirect URIs, no public client): redirects only to https URLs of public hosts;
    no SPA platform, no implicit grant, no public-client fallback flows. (Its service principal
    falls under the public-client rule's stack-wide assignment check.)"""
    rule = "entra_web_app_is_a_confidential_client_without_implicit_grant"
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "azuread_application").items():
        if not _is_entra_web_app(app):
            continue
        problems = [
            f"redirect URI {uri!r} is not an https URL of a public host"
            for uri in app["web"]["redirect_uris"]
            if not is_web_redirect_uri(uri)
        ]
        findings += [
            Finding(rule, f"azuread_application.{name}", problem)
            for problem in problems + _entra_problems_of_every_app(app)
        ]
    return findings


def secrets_stay_sensitive(stack: Mapping[str, Any]) -> list[Finding]:
    """Variables named like secrets are sensitive and have no default (a default would put the value in
    the JSON); every output that references a sensitive variable or a secret attribute
    (`SECRET_ATTRIBUTES`) is sensitive."""
    rule = "secrets_stay_sensitive"
    variables = stack.get("variable", {})
    findings = [
        Finding(rule, f"variable.{name}", problem)
        for name, variable in variables.items()
        if "secret" in name
        for problem in (
            "holds a secret but is not sensitive" if variable.get("sensitive") is not True else "",
            "holds a secret but has a default value" if "default" in variable else "",
        )
        if problem
    ]
    secrets = {
        f"var.{name}": rf"\bvar\.{re.escape(name)}\b"
        for name, variable in variables.items()
        if variable.get("sensitive") is True
    }
    secrets |= {
        f"{type_}.{name}.{attribute}": rf"\b{type_}\.{re.escape(name)}\.{attribute}\b"
        for type_, attribute in SECRET_ATTRIBUTES.items()
        for name in blocks(stack, "resource", type_)
    }
    findings += [
        Finding(rule, f"output.{name}", f"references sensitive {secret} but is not sensitive")
        for name, output in stack.get("output", {}).items()
        if output.get("sensitive") is not True
        for secret, pattern in secrets.items()
        if re.search(pattern, json.dumps(output.get("value")))
    ]
    return findings


RULES: tuple[Callable[[Mapping[str, Any]], list[Finding]], ...] = (
    okta_app_is_a_public_client_with_pkce,
    okta_web_app_is_a_confidential_client_with_authorization_code_only,
    okta_policy_admits_only_its_app_by_authorization_code,
    entra_app_is_a_public_client_that_requires_assignment,
    entra_web_app_is_a_confidential_client_without_implicit_grant,
    secrets_stay_sensitive,
)


def check_stack(stack: Mapping[str, Any]) -> list[Finding]:
    """Every rule's findings for one stack's Terraform JSON (`cdk.tf.json`)."""
    return [finding for rule in RULES for finding in rule(stack)]

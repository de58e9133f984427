"""Rule: an Entra web app is a confidential client without the implicit grant."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_lib.idp.security_rules.entra_apps import entra_problems_of_every_app, is_entra_web_app
from constructs_lib.idp.security_rules.findings import Finding, blocks, is_web_redirect_uri


def entra_web_app_is_a_confidential_client_without_implicit_grant(stack: Mapping[str, Any]) -> list[Finding]:
    """Entra web app (web redirect URIs, no public client): redirects only to https URLs of public hosts;
    no SPA platform, no implicit grant, no public-client fallback flows. (Its service principal
    falls under the public-client rule's stack-wide assignment check.)"""
    rule = "entra_web_app_is_a_confidential_client_without_implicit_grant"
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "azuread_application").items():
        if not is_entra_web_app(app):
            continue
        problems = [
            f"redirect URI {uri!r} is not an https URL of a public host"
            for uri in app["web"]["redirect_uris"]
            if not is_web_redirect_uri(uri)
        ]
        findings += [
            Finding(rule, f"azuread_application.{name}", problem)
            for problem in problems + entra_problems_of_every_app(app)
        ]
    return findings

"""Rule: an Entra app other than the web client is a public client, and only assigned users sign in."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from constructs_lib.idp.security_rules.entra_apps import entra_problems_of_every_app, is_entra_web_app
from constructs_lib.idp.security_rules.findings import Finding, blocks


def entra_app_is_a_public_client_that_requires_assignment(stack: Mapping[str, Any]) -> list[Finding]:
    """Entra app (all but web clients): redirect URIs on the public client only (no SPA, no web), no
    implicit grant, no public-client fallback flows; every service principal requires assignment;
    azuread v3 names only."""
    rule = "entra_app_is_a_public_client_that_requires_assignment"
    findings: list[Finding] = []
    for name, app in blocks(stack, "resource", "azuread_application").items():
        if is_entra_web_app(app):
            continue
        problems = [
            *(["redirect URIs on the web platform"] if app.get("web", {}).get("redirect_uris") else []),
            *entra_problems_of_every_app(app),
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

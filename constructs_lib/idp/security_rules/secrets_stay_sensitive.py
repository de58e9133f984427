"""Rule: secrets stay in sensitive variables and outputs, never in the JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from constructs_lib.idp.security_rules.findings import Finding, blocks

SECRET_ATTRIBUTES = {"okta_app_oauth": "client_secret", "azuread_application_password": "value"}
"""Resource attributes that hold a client secret: only ever referenced from sensitive outputs."""


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

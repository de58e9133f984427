"""What every security rule shares: its `Finding`s and how it reads a stack's Terraform JSON (cdktf-free)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


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


def mismatches(rule: str, address: str, body: Mapping[str, Any], expected: Mapping[str, object]) -> list[Finding]:
    """A finding for each key of `body` whose value is not the `expected` one."""
    return [
        Finding(rule, address, f"{key} is {body.get(key)!r}")
        for key, value in expected.items()
        if body.get(key) != value
    ]

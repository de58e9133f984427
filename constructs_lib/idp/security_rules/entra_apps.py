"""What the Entra rules share: which app is the web client, and what no Entra app may have."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_entra_web_app(app: Mapping[str, Any]) -> bool:
    """Web redirect URIs and no public client: the confidential web client (the web rule's case)."""
    return bool(app.get("web", {}).get("redirect_uris")) and "public_client" not in app


def entra_problems_of_every_app(app: Mapping[str, Any]) -> list[str]:
    """Single-page-application redirect URIs, the implicit grant, the public-client fallback flows."""
    implicit = app.get("web", {}).get("implicit_grant", {})
    problems = [
        "redirect URIs on the single-page-application platform" if app.get("single_page_application") else "",
        "implicit grant enabled" if any(implicit.get(key) for key in implicit) else "",
        "fallback_public_client_enabled (device code / password flows)"
        if app.get("fallback_public_client_enabled")
        else "",
    ]
    return [problem for problem in problems if problem]

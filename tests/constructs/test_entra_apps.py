"""What the Entra rules share (constructs_lib/idp/security_rules/entra_apps.py): which app is the web client,
and the problems no Entra app may have, each named on its own."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_lib.idp.security_rules.entra_apps import entra_problems_of_every_app, is_entra_web_app

WEB_REDIRECTS = {"redirect_uris": ["https://auth.cloud.google/signin-callback/x"]}


@pytest.mark.parametrize(
    ("app", "web"),
    [
        ({"web": WEB_REDIRECTS}, True),
        ({"web": WEB_REDIRECTS, "public_client": {"redirect_uris": ["http://localhost:8000"]}}, False),
        ({"web": {"redirect_uris": []}}, False),
        ({"public_client": {"redirect_uris": ["http://localhost:8000"]}}, False),
        ({}, False),
    ],
    ids=["web-redirects", "and-a-public-client", "no-web-redirects", "public-client-only", "empty"],
)
def test_the_web_client_has_web_redirects_and_no_public_client(app: dict[str, Any], web: bool) -> None:
    assert is_entra_web_app(app) is web


def test_an_app_without_the_forbidden_settings_has_no_problem() -> None:
    app = {"web": {**WEB_REDIRECTS, "implicit_grant": {"id_token_issuance_enabled": False}}}
    assert entra_problems_of_every_app(app) == []


def test_each_forbidden_setting_is_named_in_order() -> None:
    app = {
        "single_page_application": {"redirect_uris": ["https://a.example/"]},
        "web": {"implicit_grant": {"access_token_issuance_enabled": True}},
        "fallback_public_client_enabled": True,
    }
    assert entra_problems_of_every_app(app) == [
        "redirect URIs on the single-page-application platform",
        "implicit grant enabled",
        "fallback_public_client_enabled (device code / password flows)",
    ]

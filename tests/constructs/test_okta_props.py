"""OktaOidcAppProps (constructs_lib/idp/okta_props.py): each refusal with the value and the fix."""

from __future__ import annotations

from typing import Any

import pytest
from test_okta import REUSED_ISSUER, WEB

from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.props_error import PropsError


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"issuer_url": REUSED_ISSUER},
            f"issuer_url {REUSED_ISSUER!r} needs authorization_server_id: the issuer of the authorization server "
            "this construct creates is only known after apply; set authorization_server_id to reuse the server "
            "with that issuer, or omit issuer_url",
        ),
        (
            {"authorization_server_id": "aus1a2b3"},
            "issuer_url required with authorization_server_id 'aus1a2b3': copy the server's Issuer URI (ending in "
            "/oauth2/aus1a2b3) from Security > API > Authorization Servers in the Okta console (Okta's data source "
            "finds servers by name only)",
        ),
        (
            {"authorization_server_id": "aus1a2b3", "issuer_url": REUSED_ISSUER + "/"},
            f"issuer_url '{REUSED_ISSUER}/' must end in /oauth2/aus1a2b3 (the Issuer URI of the reused "
            "authorization server, without a trailing slash)",
        ),
        (
            {"authorization_server_id": "aus 1", "issuer_url": REUSED_ISSUER},
            "authorization_server_id must be the id of an Okta authorization server, letters and digits such as "
            "'aus1a2b3c4d5e6f7g8h9', got 'aus 1'",
        ),
        (
            {"authorization_server_id": "aus1a2b3", "issuer_url": REUSED_ISSUER, "group_filter_regex": "k8s-.*"},
            "group_filter_regex 'k8s-.*' applies only to an authorization server this construct creates; the "
            "reused server 'aus1a2b3' filters groups with its own groups claim: edit that claim in the Okta "
            "console, or omit authorization_server_id",
        ),
        (
            {"group_filter_regex": "k8s-("},
            "group_filter_regex 'k8s-(' is not a regular expression (missing ), unterminated subpattern at "
            "position 4); e.g. 'k8s-.*' for the groups named k8s-…",
        ),
        (
            {"scopes": ("openid", "email")},
            "scopes must include 'groups': the created authorization server releases the groups claim only for "
            "that scope, got ['openid', 'email']; add 'groups'",
        ),
        ({"app_label": " "}, "app_label must not be empty, got ' '; omit it for 'k8s-oidc prod-okta'"),
        (
            {"scopes": ("openid", "groups", "offline_access")},
            "scopes: 'offline_access' asks for refresh tokens, which are off by default; set refresh_tokens to "
            "true to opt in (it adds 'offline_access' itself), or remove the scope",
        ),
        (
            {"refresh_tokens": True, **WEB},
            "refresh_tokens applies to kubelogin's public client only: a Google workforce pool's web sign-in "
            "keeps no refresh token; leave it false for CONFIDENTIAL_WEB",
        ),
    ],
    ids=[
        "issuer-without-server",
        "server-without-issuer",
        "issuer-of-another-server",
        "server-id-whitespace",
        "filter-on-reused-server",
        "bad-regex",
        "scopes-without-groups",
        "empty-label",
        "offline-access-without-refresh-tokens",
        "refresh-tokens-on-a-web-client",
    ],
)
def test_props_refuse_bad_values_with_the_value_and_the_fix(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        OktaOidcAppProps(name="prod-okta", prefix="okta:", **overrides)
    assert str(error.value) == message


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        OktaOidcAppProps(
            name="prod-okta",
            prefix="system",
            app_label=" ",
            group_filter_regex="k8s-(",
            scopes=("openid", "email"),
        )
    assert [problem.field for problem in raised.value.problems] == [
        "prefix",
        "app_label",
        "group_filter_regex",
        "scopes",
    ]
    assert str(raised.value.problems[1]) == "app_label must not be empty, got ' '; omit it for 'k8s-oidc prod-okta'"


def test_a_reused_server_names_each_refused_value_but_not_what_follows_from_a_bad_id() -> None:
    with pytest.raises(PropsError) as raised:
        OktaOidcAppProps(
            name="prod-okta",
            prefix="okta:",
            authorization_server_id="aus 1",
            issuer_url=REUSED_ISSUER,
            group_filter_regex="k8s-.*",
        )
    # The issuer can't end in /oauth2/<a malformed id>: only the id is blamed for that.
    assert [problem.field for problem in raised.value.problems] == ["authorization_server_id", "group_filter_regex"]

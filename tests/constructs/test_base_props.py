"""IdentityProviderProps (constructs_lib/idp/base_props.py): the checks every IdP's props share, each
refusal with the value and the fix."""

from __future__ import annotations

from typing import Any

import cdktf
import pytest

from constructs_lib.idp.base_props import IdentityProviderProps
from constructs_lib.oidc import OidcClientType
from constructs_lib.props_error import PropsError


def props(**overrides: Any) -> IdentityProviderProps:
    return IdentityProviderProps(**{"name": "prod-okta", "prefix": "okta:", **overrides})


CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/okta"
NEEDS_THE_CALLBACK = (
    "a confidential web client redirects to Google's sign-in callback https://auth.cloud.google/signin-callback/"
    "locations/global/workforcePools/<pool>/providers/<provider> (loopback URIs are for kubelogin's public client)"
)


def web_props(**overrides: Any) -> IdentityProviderProps:
    return props(**{"client_type": OidcClientType.CONFIDENTIAL_WEB, "redirect_uris": (CALLBACK,), **overrides})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "name must not be empty, got ' '; it names what the IdP app creates"),
        ({"prefix": ""}, "prefix must be non-empty without whitespace, got ''; e.g. 'okta:'"),
        ({"prefix": "my okta:"}, "prefix must be non-empty without whitespace, got 'my okta:'; e.g. 'okta:'"),
        (
            {"prefix": "system:"},
            "prefix 'system:' must not start with 'system:' (reserved for Kubernetes' own users and groups: an "
            "IdP group 'masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        (
            {"redirect_uris": ()},
            "redirect_uris must not be empty: kubelogin needs a loopback redirect URI such as http://localhost:8000",
        ),
        (
            {"redirect_uris": ("https://localhost:8000",)},
            "redirect_uris: 'https://localhost:8000' is not a loopback http URL; kubelogin listens on "
            "http://localhost:<port> (default ports 8000 and 18000)",
        ),
        (
            {"redirect_uris": ("http://example.com:8000",)},
            "redirect_uris: 'http://example.com:8000' is not a loopback http URL; kubelogin listens on "
            "http://localhost:<port> (default ports 8000 and 18000)",
        ),
        (
            {"redirect_uris": ("http://localhost:70000",)},
            "redirect_uris: 'http://localhost:70000' is not a loopback http URL; kubelogin listens on "
            "http://localhost:<port> (default ports 8000 and 18000)",
        ),
        (
            {"redirect_uris": ("http://localhost:8000", "http://localhost:8000")},
            "redirect_uris repeats 'http://localhost:8000'; list each once",
        ),
        (
            {"issuer_url": "http://idp.example.com"},
            "issuer_url 'http://idp.example.com' must be an https:// URL with a host; copy the `issuer` of the "
            "IdP's discovery document exactly",
        ),
        (
            {"issuer_url": "https://idp.example.com/?tenant=1"},
            "issuer_url 'https://idp.example.com/?tenant=1' must hold no query ('?…') or fragment ('#…'); copy "
            "the `issuer` of the IdP's discovery document exactly",
        ),
        (
            {"issuer_url": "https://idp.example.com@127.0.0.1/"},
            "issuer_url 'https://idp.example.com@127.0.0.1/' must hold no user name or password before the host "
            "('…@'): clients would connect to '127.0.0.1', the part after the '@'; copy the `issuer` of the IdP's "
            "discovery document exactly",
        ),
        (
            {"prefix": "sys"},
            "prefix 'sys' must not be the start of 'system:' (reserved for Kubernetes' own users and groups: an "
            "IdP group 'tem:masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        (
            {"prefix": "system"},
            "prefix 'system' must not be the start of 'system:' (reserved for Kubernetes' own users and groups: an "
            "IdP group ':masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        ({"user_claim": "e mail"}, "user_claim must be non-empty without whitespace, got 'e mail'; e.g. 'email'"),
        ({"groups_claim": ""}, "groups_claim must be non-empty without whitespace, got ''; e.g. 'groups'"),
        ({"scopes": ()}, "scopes must not be empty; leave scopes unset (None) for the IdP's defaults"),
        (
            {"scopes": ("openid profile",)},
            "scopes: each scope is one word, got 'openid profile'; list scopes as separate items",
        ),
        (
            {"scopes": ("profile", "email")},
            "scopes must include 'openid' (without it the IdP issues no ID token), got ['profile', 'email']; "
            "add 'openid' or leave scopes unset for the IdP's defaults",
        ),
        ({"scopes": ("openid", "email", "email")}, "scopes repeats 'email'; list each once"),
    ],
    ids=lambda value: "" if isinstance(value, str) else "-".join(map(str, value)),
)
def test_props_refuse_bad_values_with_the_value_and_the_fix(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        props(**overrides)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "redirect_uri",
    ["http://localhost:8000", "http://127.0.0.1:18000", "http://[::1]:8000", "http://localhost:8000/callback"],
)
def test_loopback_redirect_uris_are_accepted(redirect_uri: str) -> None:
    assert props(redirect_uris=(redirect_uri,)).redirect_uris == (redirect_uri,)


def test_unresolved_tokens_are_left_to_terraform() -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "tokens")
    token = cdktf.TerraformVariable(stack, "issuer", type="string").string_value
    accepted = props(issuer_url=token, prefix=token, user_claim=token, scopes=(token,))
    assert accepted.issuer_url == token


def test_the_client_type_defaults_to_kubelogins_public_native_client() -> None:
    assert props().client_type is OidcClientType.PUBLIC_NATIVE
    assert props().default_display_name == "k8s-oidc prod-okta"


@pytest.mark.parametrize(
    ("redirect_uris", "message"),
    [
        (
            (),
            "redirect_uris must not be empty: a web client needs the sign-in callback https://auth.cloud.google/"
            "signin-callback/locations/global/workforcePools/<pool>/providers/<provider>",
        ),
        (
            ("http://localhost:8000",),
            f"redirect_uris: 'http://localhost:8000' is not an https URL of a public host; {NEEDS_THE_CALLBACK}",
        ),
        (
            ("https://localhost:8443/callback",),
            f"redirect_uris: 'https://localhost:8443/callback' is not an https URL of a public host; "
            f"{NEEDS_THE_CALLBACK}",
        ),
        (
            ("https://[::1]/callback",),
            f"redirect_uris: 'https://[::1]/callback' is not an https URL of a public host; {NEEDS_THE_CALLBACK}",
        ),
        (
            (CALLBACK.replace("https://", "http://"),),
            f"redirect_uris: {CALLBACK.replace('https://', 'http://')!r} is not an https URL of a public host; "
            f"{NEEDS_THE_CALLBACK}",
        ),
        ((CALLBACK, CALLBACK), f"redirect_uris repeats {CALLBACK!r}; list each once"),
        # Not plain: the code would go to evil.example (after the '@'), or carry a query the IdP matches exactly.
        (
            ("https://auth.cloud.google@evil.example/signin-callback",),
            "redirect_uris: 'https://auth.cloud.google@evil.example/signin-callback' is not an https URL of a public "
            f"host; {NEEDS_THE_CALLBACK}",
        ),
        (
            (CALLBACK + "?next=https://evil.example",),
            f"redirect_uris: {CALLBACK + '?next=https://evil.example'!r} is not an https URL of a public host; "
            f"{NEEDS_THE_CALLBACK}",
        ),
    ],
    ids=["empty", "loopback-http", "loopback-https", "loopback-ipv6", "plain-http", "repeated", "userinfo", "query"],
)
def test_a_web_client_refuses_anything_but_https_redirect_uris_of_public_hosts(
    redirect_uris: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        web_props(redirect_uris=redirect_uris)
    assert str(error.value) == message


def test_a_web_client_refuses_kubelogins_default_redirect_uris() -> None:
    with pytest.raises(ValueError) as error:
        props(client_type=OidcClientType.CONFIDENTIAL_WEB)
    assert str(error.value) == (
        f"redirect_uris: 'http://localhost:8000' is not an https URL of a public host; {NEEDS_THE_CALLBACK}"
    )


def test_a_native_client_refuses_the_web_sign_in_callback() -> None:
    with pytest.raises(ValueError) as error:
        props(redirect_uris=(CALLBACK,))
    assert str(error.value) == (
        f"redirect_uris: {CALLBACK!r} is not a loopback http URL; kubelogin listens on http://localhost:<port> "
        "(default ports 8000 and 18000)"
    )


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        props(
            prefix="sys",
            issuer_url="https://idp.example.com@127.0.0.1",
            user_claim="e mail",
            groups_claim="",
            scopes=("profile",),
        )
    assert [problem.field for problem in raised.value.problems] == [
        "prefix",
        "issuer_url",
        "user_claim",
        "groups_claim",
        "scopes",
    ]
    assert str(raised.value.problems[-1]) == (
        "scopes must include 'openid' (without it the IdP issues no ID token), got ['profile']; add 'openid' or "
        "leave scopes unset for the IdP's defaults"
    )

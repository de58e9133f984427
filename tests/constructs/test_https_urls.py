"""The plain-https-URL rule (constructs_lib/https_urls.py): issuers, API server endpoints and web redirect
URIs are `https://host[:port][/path]` and nothing a client would read differently from a person."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from constructs_lib.https_urls import https_url_problem


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.okta.com/oauth2/aus1a2b3",
        "https://oauth.id.jumpcloud.com/",
        "https://k8s.acme.internal:6443",
        "https://10.0.0.1",
        "https://[2001:db8::1]:6443",
        "https://login.microsoftonline.com/2f1c4a3b-0000-4000-8000-00000000cafe/v2.0",
        "https://sso.acme.internal/realms/eng%20team",
        "https://host/path@not-userinfo",
    ],
)
def test_plain_https_urls_pass(url: str) -> None:
    assert https_url_problem(url) is None


USERINFO = (
    "must hold no user name or password before the host ('…@'): clients would connect to {host!r}, the part after "
    "the '@'"
)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://k8s.acme.internal", "must be an https:// URL with a host"),
        ("HTTPS://k8s.acme.internal", "must be an https:// URL with a host"),
        ("https://", "must be an https:// URL with a host"),
        ("https:///path", "must be an https:// URL with a host"),
        ("https://:443/x", "must be an https:// URL with a host"),
        ("k8s.acme.internal", "must be an https:// URL with a host"),
        ("https://k8s.acme.internal:port", "is not a URL (Port could not be cast to integer value as 'port')"),
        ("https://[::1", "is not a URL (Invalid IPv6 URL)"),
        ("https://eks-host.example@127.0.0.1", USERINFO.format(host="127.0.0.1")),
        ("https://admin:pw@k8s.acme.internal:6443/", USERINFO.format(host="k8s.acme.internal")),
        ("https://@k8s.acme.internal", USERINFO.format(host="k8s.acme.internal")),
        ("https://k8s.acme.internal/?x=1", "must hold no query ('?…') or fragment ('#…')"),
        ("https://k8s.acme.internal?", "must hold no query ('?…') or fragment ('#…')"),
        ("https://acme.okta.com/oauth2/aus1#", "must hold no query ('?…') or fragment ('#…')"),
        ("https://k8s.acme.internal /", "must hold no spaces or control characters"),
        ("https://k8s.acme.internal\n", "must hold no spaces or control characters"),
        ("https://k8s.acme.internal/\x00", "must hold no spaces or control characters"),
        ("https://k8s.acme.internal/\x85", "must hold no spaces or control characters"),
        ("https://k8s.acme.internal/%zz", "must hold only valid %-escapes ('%' and two hex digits)"),
        ("https://k8s.acme.internal/100%", "must hold only valid %-escapes ('%' and two hex digits)"),
    ],
)
def test_anything_else_is_refused_with_what_is_wrong(url: str, problem: str) -> None:
    assert https_url_problem(url) == problem


def test_the_userinfo_case_is_the_attack_it_guards_against() -> None:
    # What a person reads as the EKS host is a user name; Python's (and Go's) parser connects elsewhere.
    url = "https://ABC123.gr7.us-west-2.eks.amazonaws.com@127.0.0.1"
    assert urlsplit(url).hostname == "127.0.0.1"
    assert https_url_problem(url) is not None

"""The one rule for the URLs k8s-oidc hands to kubectl, kubelogin and kube-apiserver: issuers, API server
endpoints and web redirect URIs are plain https URLs (cdktf-free: the props, the config model and the
output contract use it).

Plain means a scheme `https://`, a host, an optional port and path, and nothing a client reads
differently from a person: no user name or password before the host (`https://<eks-host>@127.0.0.1`
reads like the EKS host, but kubectl connects to 127.0.0.1), no query or fragment (an issuer is
compared character for character, and an endpoint has neither), no whitespace or control characters,
and only valid %-escapes (Go's URL parser, in kubectl and kube-apiserver, refuses any other `%`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SCHEME = "https://"
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def https_url_problem(url: str) -> str | None:
    """Why `url` is not a plain https URL, or None. The phrase reads after the URL's name and value
    (`endpoint 'http://…' must be …`), so each caller adds an example that fits."""
    if _WHITESPACE_OR_CONTROL.search(url):
        return "must hold no spaces or control characters"
    if not url.startswith(_SCHEME):
        return "must be an https:// URL with a host"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as error:
        return f"is not a URL ({error})"
    if "@" in parts.netloc:
        return (
            "must hold no user name or password before the host ('…@'): clients would connect to "
            f"{parts.hostname or ''!r}, the part after the '@'"
        )
    if not parts.hostname:
        return "must be an https:// URL with a host"
    if "?" in url or "#" in url:
        return "must hold no query ('?…') or fragment ('#…')"
    if _BAD_ESCAPE.search(url):
        return "must hold only valid %-escapes ('%' and two hex digits)"
    return None

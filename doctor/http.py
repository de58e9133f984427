"""HTTPS to the identity providers as kube-apiserver and kubelogin do it: https only, bounded waits,
the system's CA store plus `SSL_CERT_FILE` when set. Failures become sentences, never tracebacks."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stacks.errors import Problem, UserError

if TYPE_CHECKING:
    import httpx

TIMEOUT_SECONDS = 10.0


class FetchError(Exception):
    """A request that got no usable answer; the message names the URL and the cause."""

    def __init__(self, message: str, *, tls: bool = False) -> None:
        super().__init__(message)
        self.tls = tls
        """The TLS handshake failed: the message already says what to change (SSL_CERT_FILE)."""


@dataclass(frozen=True)
class JsonResponse:
    status_code: int
    body: Any
    """The decoded JSON, or None when the body was not JSON."""


def tls_context() -> ssl.SSLContext:
    """The system CA store, plus the certificates of `SSL_CERT_FILE` when set.

    `create_default_context` loads OpenSSL's default paths, where SSL_CERT_FILE *replaces* the
    system's file, so the system's compiled-in locations are loaded explicitly too."""
    context = ssl.create_default_context()
    defaults = ssl.get_default_verify_paths()
    loaded = {Path(defaults.cafile).resolve()} if defaults.cafile else set()
    system_file = Path(defaults.openssl_cafile)
    if system_file.is_file() and system_file.resolve() not in loaded:
        context.load_verify_locations(cafile=system_file)
        loaded.add(system_file.resolve())
    if Path(defaults.openssl_capath).is_dir():
        context.load_verify_locations(capath=defaults.openssl_capath)
    extra = os.environ.get("SSL_CERT_FILE")
    if extra and Path(extra).resolve() not in loaded:
        try:
            context.load_verify_locations(cafile=extra)
        except (OSError, ssl.SSLError) as error:
            raise UserError(
                "environment",
                [Problem("SSL_CERT_FILE", f"{extra}: not a readable PEM file of CA certificates ({error})")],
            ) from None
    return context


def https_client() -> httpx.Client:
    import httpx

    def https_only(request: httpx.Request) -> None:
        if request.url.scheme != "https":
            raise FetchError(f"{request.url} is not https: identity providers must be reached over TLS")

    return httpx.Client(
        verify=tls_context(),
        timeout=TIMEOUT_SECONDS,
        follow_redirects=True,
        event_hooks={"request": [https_only]},
        headers={"Accept": "application/json", "User-Agent": "k8s-oidc-doctor"},
    )


def get_json(client: httpx.Client, url: str) -> Any:
    """GET `url`, expecting 200 and JSON; raise `FetchError` saying what went wrong."""
    response = request_json(client, "GET", url)
    if response.status_code != 200:
        raise FetchError(f"{url} answered HTTP {response.status_code}, expected 200")
    if response.body is None:
        raise FetchError(f"{url} did not answer JSON")
    return response.body


def request_json(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """Send one request; any status is an answer, only no answer raises `FetchError`."""
    import httpx

    try:
        response = client.request(method, url, data=data, headers=headers)
    except FetchError:
        raise
    except httpx.TimeoutException:
        raise FetchError(f"no answer from {url} within {TIMEOUT_SECONDS:g} s") from None
    except httpx.HTTPError as error:
        tls = _tls_cause(error)
        if tls is not None:
            raise FetchError(_tls_failure(url, tls), tls=True) from None
        raise FetchError(f"cannot reach {url}: {_root_cause(error)}") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    return JsonResponse(response.status_code, body)


def _tls_failure(url: str, tls: ssl.SSLError) -> str:
    reason = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or str(tls)
    source = os.environ.get("SSL_CERT_FILE")
    trusted = "the system CA store" + (f" and SSL_CERT_FILE={source}" if source else " (SSL_CERT_FILE is unset)")
    return (
        f"TLS failure talking to {url}: {reason}; doctor trusts {trusted}: if the IdP's certificate comes "
        "from a private CA, point SSL_CERT_FILE at that CA's PEM file"
    )


def _tls_cause(error: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _root_cause(error: BaseException) -> str:
    deepest = error
    while deepest.__cause__ is not None or deepest.__context__ is not None:
        deepest = deepest.__cause__ or deepest.__context__  # type: ignore[assignment]
    text = str(deepest) or str(error) or type(deepest).__name__
    return text

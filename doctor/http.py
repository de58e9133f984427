"""HTTPS to the identity providers as kube-apiserver and kubelogin do it: https only, the system's CA
store plus `SSL_CERT_FILE` when set — or, for an issuer behind a private CA, that CA alone, as kubelogin's
`--certificate-authority-data` and kube-apiserver's `issuer.certificateAuthority` trust it (`render.https`,
the one TLS setup of every client) — and bounded (DESIGN.md contract 6): each answer, body included, whole
within 10 s and at most 1 MiB — a slow, drip-fed or endless answer is a failure, not a hang. Failures become
sentences, never tracebacks."""

from __future__ import annotations

import base64
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stacks.json_input import JsonInputError, MalformedJson, parse_json

if TYPE_CHECKING:
    from types import TracebackType

    from render.https import HttpsFailure

TIMEOUT_SECONDS = 10.0
"""Seconds for one whole answer: connecting, TLS, the headers and the body."""
MAX_ANSWER_BYTES = 1024 * 1024
"""The most of one answer's body read: discovery documents and JWKS take a few KiB."""
MAX_REDIRECTS = 5
"""Redirects followed by a GET (a discovery document or JWKS behind one), each https, in the same 10 s."""


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


@dataclass(frozen=True)
class IssuerCa:
    """An issuer's private CA, and where it was configured (to say what to change)."""

    data: str
    """Base64 PEM, as the config and the `oidc_config` output hold it."""
    setting: str


class IdpHttps:
    """doctor's HTTPS client, and the bounds of each answer it reads (a context manager). `issuer_ca`: the
    private CA of the issuers it talks to, trusted alone; default: the system's store and SSL_CERT_FILE."""

    def __init__(
        self,
        *,
        seconds: float = TIMEOUT_SECONDS,
        max_bytes: int = MAX_ANSWER_BYTES,
        issuer_ca: IssuerCa | None = None,
    ) -> None:
        from render.https import https_client  # httpx: loaded once doctor makes requests, not on import

        self.seconds = seconds
        self.max_bytes = max_bytes
        self.issuer_ca = issuer_ca
        # The outputs' and the config's CA are checked as certificates already: the PEM is ASCII.
        ca_pem = None if issuer_ca is None else base64.b64decode(issuer_ca.data).decode("ascii")
        self._client = https_client(
            os.environ, headers={"Accept": "application/json", "User-Agent": "k8s-oidc-doctor"}, ca_pem=ca_pem
        )

    def __enter__(self) -> IdpHttps:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._client.close()

    def get_json(self, url: str) -> Any:
        """GET `url` (following up to MAX_REDIRECTS redirects), expecting 200 and JSON; raise `FetchError`
        saying what went wrong."""
        status, body = self._exchange("GET", url, redirects=MAX_REDIRECTS)
        if status != 200:
            raise FetchError(f"{url} answered HTTP {status}, expected 200")
        try:
            return parse_json(body)
        except MalformedJson:
            raise FetchError(f"{url} did not answer JSON") from None
        except JsonInputError as error:
            raise FetchError(f"{url} answered {error}") from None

    def request_json(
        self, method: str, url: str, *, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> JsonResponse:
        """Send one request (no redirect followed); any status is an answer, only no answer — or JSON past
        the bounds — raises `FetchError`."""
        status, body = self._exchange(method, url, data=data, headers=headers)
        try:
            return JsonResponse(status, parse_json(body))
        except MalformedJson:
            return JsonResponse(status, None)
        except JsonInputError as error:
            raise FetchError(f"{url} answered {error}") from None

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        redirects: int = 0,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        from render.https import HttpsFailure, exchange

        try:
            answer = exchange(
                self._client,
                method,
                url,
                deadline=time.monotonic() + self.seconds,
                max_bytes=self.max_bytes,
                redirects=redirects,
                data=data,
                headers=headers,
            )
        except HttpsFailure as error:
            raise _fetch_error(error, self.seconds, self.issuer_ca) from None
        return answer.status_code, answer.body


class IdpConnections:
    """doctor's HTTPS clients (a context manager): one per CA the issuers are reached with — the system's,
    made at once (its setup refuses a bad SSL_CERT_FILE before any check), or an issuer's private CA, made on
    first use — closed together."""

    def __init__(self) -> None:
        self._clients: dict[IssuerCa | None, IdpHttps] = {None: IdpHttps()}

    def __enter__(self) -> IdpConnections:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for client in self._clients.values():
            client.__exit__(kind, error, traceback)

    def trusting(self, issuer_ca: IssuerCa | None) -> IdpHttps:
        """The client that reaches issuers with `issuer_ca` alone (None: the system's CAs and SSL_CERT_FILE)."""
        if issuer_ca not in self._clients:
            self._clients[issuer_ca] = IdpHttps(issuer_ca=issuer_ca)
        return self._clients[issuer_ca]


def _fetch_error(error: HttpsFailure, seconds: float, issuer_ca: IssuerCa | None) -> FetchError:
    from render.https import NotHttps, TlsFailure, TooSlow

    if isinstance(error, NotHttps):
        return FetchError(f"{error}: identity providers must be reached over TLS")
    if isinstance(error, TooSlow):
        return FetchError(f"no complete answer from {error.url} within {seconds:g} s")
    if isinstance(error, TlsFailure) and issuer_ca is not None:
        return FetchError(
            f"TLS failure talking to {error.url}: {error.reason}; doctor trusts the issuer's private CA from "
            f"{issuer_ca.setting} alone for it, as kubelogin and the cluster do: give the CA that signed the "
            "issuer's certificate there",
            tls=True,
        )
    if isinstance(error, TlsFailure):
        source = os.environ.get("SSL_CERT_FILE")
        trusted = "the system CA store" + (f" and SSL_CERT_FILE={source}" if source else " (SSL_CERT_FILE is unset)")
        return FetchError(
            f"TLS failure talking to {error.url}: {error.reason}; doctor trusts {trusted}: if the IdP's certificate "
            "comes from a private CA, point SSL_CERT_FILE at that CA's PEM file",
            tls=True,
        )
    return FetchError(str(error))

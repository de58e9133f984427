"""HTTPS for every client k8s-oidc has — doctor's requests to identity providers, the Terraform Cloud
API of `render --from-terraform-cloud` — set up once: which CAs are trusted, https only, and what one
answer may cost.

- TLS: the system's CA store plus the certificates of `SSL_CERT_FILE` when it is set (OpenSSL alone
  would use that file *instead* of the system's); or, for one client, the CA given for it alone (an
  identity provider behind a private CA, trusted as kubelogin and kube-apiserver trust it).
- Bounds: each exchange has a deadline for the whole of it — connecting, the TLS handshake, sending,
  the headers and the body — checked at every socket operation, so a server that drips its answer a
  byte at a time runs into it like one that says nothing; and at most `max_bytes` of body are read,
  so a server sending gigabytes is cut off after the bound. The body is asked for uncompressed, so
  what is counted is what would be parsed.
- Redirects are never followed by the client itself; `exchange` follows them only when the caller
  says how many (each hop https, within the same deadline).

No cdktf here: the render step and doctor run where only the outputs exist.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpcore
import httpx

from stacks.errors import Problem, UserError
from stacks.input_files import size_text

_DEADLINE: ContextVar[float | None] = ContextVar("k8s_oidc_https_deadline", default=None)
"""The `time.monotonic()` by which the exchange running in this thread must be over."""


# --- TLS -----------------------------------------------------------------------------------------


def tls_context(env: Mapping[str, str], *, ca_pem: str | None = None) -> ssl.SSLContext:
    """The system's CA store, plus the certificates of `SSL_CERT_FILE` when `env` sets it (a company CA); or
    only `ca_pem` when given (PEM text: the CA(s) this client alone trusts, e.g. an identity provider's
    private CA, which kubelogin's `--certificate-authority-data` and kube-apiserver's
    `issuer.certificateAuthority` trust instead of the system's; `ssl.SSLError` when it holds no
    certificate, so its caller checks it as config first).

    `create_default_context` loads OpenSSL's default paths, where SSL_CERT_FILE *replaces* the system's
    file, so the system's compiled-in locations are loaded explicitly too."""
    if ca_pem is not None:
        return ssl.create_default_context(cadata=ca_pem)
    context = ssl.create_default_context()
    defaults = ssl.get_default_verify_paths()
    loaded = {Path(defaults.cafile).resolve()} if defaults.cafile else set()
    system_file = Path(defaults.openssl_cafile)
    if system_file.is_file() and system_file.resolve() not in loaded:
        context.load_verify_locations(cafile=system_file)
        loaded.add(system_file.resolve())
    if Path(defaults.openssl_capath).is_dir():
        context.load_verify_locations(capath=defaults.openssl_capath)
    extra = env.get("SSL_CERT_FILE")
    if extra and Path(extra).resolve() not in loaded:
        try:
            context.load_verify_locations(cafile=extra)
        except (OSError, ssl.SSLError) as error:
            raise UserError(
                "environment",
                [Problem("SSL_CERT_FILE", f"{extra}: not a readable PEM file of CA certificates ({error})")],
            ) from None
    return context


# --- the client ----------------------------------------------------------------------------------


def https_client(
    env: Mapping[str, str],
    *,
    headers: Mapping[str, str],
    base_url: str = "",
    ca_pem: str | None = None,
) -> httpx.Client:
    """A client for `exchange`: `tls_context(env, ca_pem=…)`, redirects not followed, proxies
    from the environment as httpx finds them, every socket operation under the exchange's deadline."""
    return _DeadlineClient(
        base_url=base_url,
        verify=tls_context(env, ca_pem=ca_pem),
        timeout=None,  # `exchange` gives each operation what is left of its deadline
        follow_redirects=False,
        headers={**headers, "Accept-Encoding": "identity"},
    )


class _DeadlineClient(httpx.Client):
    """httpx builds one transport for direct connections and one per proxy from the environment; each
    gets the deadline-keeping network backend (httpx has no public way to give its transports one)."""

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        return _with_deadlines(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        return _with_deadlines(super()._init_proxy_transport(*args, **kwargs))


def _with_deadlines(transport: httpx.BaseTransport) -> httpx.BaseTransport:
    # The pool hands its network backend to every connection it opens, proxied ones included.
    pool = transport._pool  # type: ignore[attr-defined]
    pool._network_backend = _DeadlineBackend(pool._network_backend)
    return transport


def _remaining(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """`timeout` cut to what is left of this thread's exchange deadline; `expired` once it passed."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the deadline of the exchange passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _remaining(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(path, _remaining(timeout, httpcore.ConnectTimeout), socket_options)
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _remaining(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


# --- one exchange --------------------------------------------------------------------------------


class HttpsFailure(Exception):
    """No usable answer from `url`; the message says why."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url


class NotHttps(HttpsFailure):
    """The URL (or a redirect's) is not https: nothing was sent to it."""


class TooSlow(HttpsFailure):
    """The deadline passed before the whole answer, body included, had come."""


class TooLarge(HttpsFailure):
    """The body is longer than the bound: reading stopped there."""


class TlsFailure(HttpsFailure):
    """The TLS handshake failed (most often: a certificate from a CA this machine doesn't trust)."""

    def __init__(self, url: str, error: ssl.SSLError) -> None:
        self.reason = str(getattr(error, "verify_message", None) or getattr(error, "reason", None) or error)
        """OpenSSL's reason, e.g. "unable to get local issuer certificate"."""
        self.verify_failed = isinstance(error, ssl.SSLCertVerificationError)
        """The server's certificate was refused (rather than, say, the protocol version)."""
        super().__init__(url, f"TLS failure talking to {url}: {self.reason}")


class Unreachable(HttpsFailure):
    """No connection, or it broke off."""

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(url, f"cannot reach {url}: {cause}")
        self.cause = cause
        """The deepest cause, e.g. "[Errno 111] Connection refused"."""


@dataclass(frozen=True)
class Answer:
    """A whole answer: its status and headers, and its body (at most the bound)."""

    url: str
    """The URL that answered (after the redirects followed)."""
    status_code: int
    reason: str
    """The status's standard phrase ("Found"), not the server's own: that is input, and goes to terminals."""
    headers: httpx.Headers
    body: bytes


def exchange(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    deadline: float,
    max_bytes: int,
    redirects: int = 0,
    params: Mapping[str, str | int] | None = None,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """Send one request and read its whole answer by `deadline` (a `time.monotonic()` value), at most
    `max_bytes` of body; follow at most `redirects` redirects (each https, the same deadline; httpx
    drops the Authorization header when one leaves the host). Any status is an answer; `HttpsFailure`
    when there is none."""
    try:
        request = client.build_request(method, url, params=params, data=data, headers=headers)
    except httpx.InvalidURL as error:
        raise HttpsFailure(url, f"{url!r} is not a URL ({error})") from None
    with _deadline(deadline):
        for hop in range(redirects + 1):
            answer = _send(client, request, max_bytes, follow=hop < redirects)
            if isinstance(answer, Answer):
                return answer
            request = answer
    raise AssertionError("unreachable: the last hop returns an answer")


@contextmanager
def _deadline(deadline: float) -> Iterator[None]:
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _send(client: httpx.Client, request: httpx.Request, max_bytes: int, *, follow: bool) -> Answer | httpx.Request:
    """The answer to `request`, or the request of the redirect to follow."""
    url = str(request.url)
    if request.url.scheme != "https":
        raise NotHttps(url, f"{url} is not https")
    try:
        response = client.send(request, stream=True)
        try:
            if follow and response.next_request is not None:
                return response.next_request
            body = _body(response, url, max_bytes)
        finally:
            response.close()
    except httpx.TimeoutException:
        raise TooSlow(url, f"no complete answer from {url} in time") from None
    except httpx.HTTPError as error:
        tls = _tls_cause(error)
        if tls is not None:
            raise TlsFailure(url, tls) from None
        raise Unreachable(url, _root_cause(error)) from None
    return Answer(url, response.status_code, _phrase(response.status_code), response.headers, body)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(a status HTTP doesn't define)"


def _body(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding != "identity":
        raise HttpsFailure(url, f"{url} answered with Content-Encoding {encoding[:40]!r}, though none was asked for")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise TooLarge(url, f"{url} answered {int(length):,} bytes: at most {size_text(max_bytes)} is read")
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise TooLarge(url, f"{url} answered more than {size_text(max_bytes)}: at most that is read")
    return bytes(body)


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
    return str(deepest) or str(error) or type(deepest).__name__

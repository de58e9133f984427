"""The one HTTPS setup of every client (render.https): which CAs it trusts, and what one exchange may
cost — against a hostile HTTPS server on loopback that drips, floods and redirects."""

from __future__ import annotations

import socket
import ssl
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
from hostile_https import (
    GIB,
    HostileServer,
    drip_body,
    drip_headers,
    endless_body,
    hostile_server,
    json_answer,
    redirect,
)
from time_guard import within
from tool_support import skip_unless

from render.https import (
    HttpsFailure,
    NotHttps,
    TlsFailure,
    TooLarge,
    TooSlow,
    exchange,
    https_client,
    tls_context,
)
from stacks.errors import UserError

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileServer]:
    with hostile_server(tmp_path_factory.mktemp("hostile")) as server:
        yield server


@pytest.fixture
def server(hostile: HostileServer) -> HostileServer:
    hostile.routes.clear()
    hostile.sent.clear()
    hostile.requested.clear()
    hostile.headers.clear()
    return hostile


@pytest.fixture
def client(server: HostileServer) -> Iterator[httpx.Client]:
    with https_client({"SSL_CERT_FILE": str(server.ca_file)}, headers={"User-Agent": "test"}) as client:
        yield client


def get(client: httpx.Client, url: str, *, seconds: float = 5.0, max_bytes: int = MIB, redirects: int = 0) -> bytes:
    """The body at `url`, the test failing (not hanging) when the exchange outlives its deadline by far."""
    return within(
        seconds + 10,
        lambda: (
            exchange(
                client, "GET", url, deadline=time.monotonic() + seconds, max_bytes=max_bytes, redirects=redirects
            ).body
        ),
    )


# --- TLS -----------------------------------------------------------------------------------------


def _subjects(context: ssl.SSLContext) -> list[str]:
    return [str(dict(entry[0] for entry in cert["subject"])) for cert in context.get_ca_certs()]


def test_ssl_cert_file_adds_to_the_system_store(tmp_path: Path) -> None:
    """OpenSSL alone would trust SSL_CERT_FILE instead of the system's CAs; a company CA comes on top."""
    system_file = Path(ssl.get_default_verify_paths().openssl_cafile)
    skip_unless(system_file.is_file(), f"no system CA file at {system_file}")
    system = _subjects(tls_context({}))
    assert len(system) > 10, "the system store should hold CAs"
    ca_file = tmp_path / "ca.pem"
    trustme.CA(organization_name="k8s-oidc test CA").cert_pem.write_to_path(ca_file)
    with_extra = _subjects(tls_context({"SSL_CERT_FILE": str(ca_file)}))
    assert any("k8s-oidc test CA" in subject for subject in with_extra)
    assert set(system) <= set(with_extra)


def test_an_unreadable_ssl_cert_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        tls_context({"SSL_CERT_FILE": str(tmp_path / "missing.pem")})
    assert raised.value.problems[0].path == "SSL_CERT_FILE"
    assert "not a readable PEM file of CA certificates" in raised.value.problems[0].message


def test_one_client_can_trust_its_own_ca_instead_of_the_environments(server: HostileServer, tmp_path: Path) -> None:
    """An identity provider behind a private CA: its PEM for that client only, and only it, as kubelogin's
    --certificate-authority-data and kube-apiserver's issuer.certificateAuthority trust it."""
    server.routes["/doc"] = json_answer({"ok": True})
    with https_client({}, headers={}) as untrusting, pytest.raises(TlsFailure) as raised:
        get(untrusting, f"{server.url}/doc")
    assert raised.value.verify_failed
    assert raised.value.reason == "unable to get local issuer certificate"
    pem = server.ca_file.read_text(encoding="ascii")
    with https_client({}, headers={}, ca_pem=pem) as trusting:
        assert get(trusting, f"{server.url}/doc") == b'{"ok": true}'
    # Another CA given for the client wins over SSL_CERT_FILE, which would trust the server.
    other = trustme.CA().cert_pem.bytes().decode("ascii")
    environment = {"SSL_CERT_FILE": str(server.ca_file)}
    with https_client(environment, headers={}, ca_pem=other) as own_ca_only, pytest.raises(TlsFailure):
        get(own_ca_only, f"{server.url}/doc")
    assert len(tls_context(environment, ca_pem=other).get_ca_certs()) == 1  # neither the system's nor the file's


# --- time: the whole exchange, body included -------------------------------------------------------


def test_a_drip_fed_body_ends_at_the_deadline(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/drip"] = drip_body(interval=0.2)
    started = time.monotonic()
    with pytest.raises(TooSlow) as raised:
        get(client, f"{server.url}/drip", seconds=1.5)
    elapsed = time.monotonic() - started
    # Each byte came well within any per-read timeout: only a deadline over the whole answer stops it.
    assert 1.5 <= elapsed < 2.5
    assert server.sent["/drip"] > 3
    assert str(raised.value) == f"no complete answer from {server.url}/drip in time"


def test_drip_fed_headers_end_at_the_deadline(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/slow-headers"] = drip_headers(interval=0.2)
    started = time.monotonic()
    with pytest.raises(TooSlow):
        get(client, f"{server.url}/slow-headers", seconds=1.5)
    assert 1.5 <= time.monotonic() - started < 2.5


def test_a_deadline_spans_the_redirects_followed(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/hop"] = redirect("/drip")
    server.routes["/drip"] = drip_body(interval=0.2)
    started = time.monotonic()
    with pytest.raises(TooSlow):
        get(client, f"{server.url}/hop", seconds=1.5, redirects=1)
    assert time.monotonic() - started < 2.5


# --- size: at most the bound is read ---------------------------------------------------------------


def test_gigabytes_are_cut_off_after_the_bound(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/flood"] = endless_body(total=3 * GIB)
    tracemalloc.start()
    try:
        started = time.monotonic()
        with pytest.raises(TooLarge) as raised:
            get(client, f"{server.url}/flood", seconds=30, max_bytes=16 * MIB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(raised.value) == f"{server.url}/flood answered more than 16 MiB: at most that is read"
    assert time.monotonic() - started < 10
    # What the client held: the bound and a read's worth, not the 3 GiB on offer.
    assert peak < 40 * MIB
    # What the server got out: the bound plus what the sockets buffered before the client hung up.
    time.sleep(0.5)
    assert 16 * MIB < server.sent["/flood"] < 64 * MIB


def test_a_body_at_the_bound_is_read_and_one_byte_more_is_not(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/exact"] = json_answer(b"7" * 4096)
    server.routes["/over"] = endless_body(total=4097, chunk=4097)
    assert get(client, f"{server.url}/exact", max_bytes=4096) == b"7" * 4096
    with pytest.raises(TooLarge):
        get(client, f"{server.url}/over", max_bytes=4096)


def test_a_content_length_over_the_bound_is_refused_before_reading(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/announced"] = endless_body(total=3 * GIB, content_length=True)
    with pytest.raises(TooLarge) as raised:
        get(client, f"{server.url}/announced", max_bytes=MIB)
    assert str(raised.value) == f"{server.url}/announced answered 3,221,225,472 bytes: at most 1 MiB is read"


def test_the_body_is_asked_for_uncompressed(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/doc"] = json_answer({"ok": True})
    get(client, f"{server.url}/doc")
    assert server.headers[0]["accept-encoding"] == "identity"


def test_a_compressed_answer_is_refused(client: httpx.Client, server: HostileServer) -> None:
    """The body is asked for uncompressed: a gzip bomb can't grow past the bound after the count."""
    server.routes["/gzip"] = json_answer(b"\x1f\x8b", headers={"Content-Encoding": "gzip"})
    with pytest.raises(HttpsFailure) as raised:
        get(client, f"{server.url}/gzip")
    assert "answered with Content-Encoding 'gzip', though none was asked for" in str(raised.value)


# --- redirects and https ---------------------------------------------------------------------------


def test_redirects_are_followed_only_as_many_as_asked(client: httpx.Client, server: HostileServer) -> None:
    server.routes["/moved"] = redirect("/target")
    server.routes["/target"] = json_answer({"here": True})
    answer = exchange(client, "GET", f"{server.url}/moved", deadline=time.monotonic() + 5, max_bytes=MIB)
    assert answer.status_code == 302
    assert server.requested == ["/moved"]
    assert get(client, f"{server.url}/moved", redirects=1) == b'{"here": true}'
    assert server.requested == ["/moved", "/moved", "/target"]


def test_neither_a_url_nor_a_redirect_may_leave_https(client: httpx.Client, server: HostileServer) -> None:
    plain = server.url.replace("https:", "http:") + "/target"
    with pytest.raises(NotHttps) as raised:
        get(client, plain)
    assert str(raised.value) == f"{plain} is not https"
    server.routes["/downgrade"] = redirect(plain)
    with pytest.raises(NotHttps):
        get(client, f"{server.url}/downgrade", redirects=1)
    assert server.requested == ["/downgrade"]


def test_a_proxy_from_the_environment_is_under_the_deadline_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx gives proxied requests a transport of their own: a proxy that never answers the CONNECT
    runs into the deadline like a server."""
    with socket.socket() as proxy:
        proxy.bind(("127.0.0.1", 0))
        proxy.listen()
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "https_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.getsockname()[1]}")
        started = time.monotonic()
        with https_client({}, headers={}) as client, pytest.raises(TooSlow):
            get(client, "https://idp.example/.well-known/openid-configuration", seconds=1)
        assert 1 <= time.monotonic() - started < 2

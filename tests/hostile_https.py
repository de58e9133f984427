"""A hostile HTTPS server on loopback, for the tests of the bounded readers (render.https, doctor,
Terraform Cloud): each path answers as an attacker would — a body or its headers dripped a byte at a
time, gigabytes generated lazily, a redirect, JSON nested a hundred thousand deep — and the server
counts the bytes it managed to send, so a test can assert how far the client let it get."""

from __future__ import annotations

import contextlib
import json
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

Route = Callable[["_Handler"], None]
"""Writes the whole answer to one request, raw (status line, headers, body)."""

GIB = 1024**3


@dataclass
class HostileServer:
    url: str
    """https://127.0.0.1:<port>"""
    ca_file: Path
    """The PEM of the CA that signed its certificate (for SSL_CERT_FILE)."""
    routes: dict[str, Route] = field(default_factory=dict)
    """Path (without query) → how it answers; other paths get 404."""
    sent: dict[str, int] = field(default_factory=dict)
    """Path → body bytes written to the socket (what the client let through, plus socket buffers)."""
    requested: list[str] = field(default_factory=list)
    """Paths requested, in order."""
    headers: list[dict[str, str]] = field(default_factory=list)
    """The headers of each request, in order (names lowercase)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, path: str, size: int) -> None:
        with self.lock:
            self.sent[path] = self.sent.get(path, 0) + size


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._route()

    def _route(self) -> None:
        path = self.path.split("?", 1)[0]
        hostile = self.server.hostile
        with hostile.lock:
            hostile.requested.append(path)
            hostile.headers.append({name.lower(): value for name, value in self.headers.items()})
        route = hostile.routes.get(path, json_answer({"error": "not found"}, status=404))
        # The client hanging up mid-answer is what a bounded client does.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            route(self)

    def write_body(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self.server.hostile.count(self.path.split("?", 1)[0], len(data))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hostile: HostileServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up on this server (a refused certificate, a cut flood) is what the tests
        provoke: no traceback for it on the test run's output. Anything else is still printed."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


# --- routes --------------------------------------------------------------------------------------


def json_answer(document: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    """An honest answer: `document` as JSON (or as it is, when bytes)."""
    body = document if isinstance(document, bytes) else json.dumps(document).encode()

    def answer(handler: _Handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.write_body(body)

    return answer


def redirect(location: str, *, status: int = 302) -> Route:
    def answer(handler: _Handler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def drip_body(*, interval: float = 0.5, start: bytes = b'{"a": "') -> Route:
    """A 200 whose body never ends: `start`, then one byte every `interval` seconds."""

    def answer(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.write_body(start)
        while True:
            time.sleep(interval)
            handler.write_body(b"x")

    return answer


def drip_headers(*, interval: float = 0.5) -> Route:
    """An answer whose status line and headers never end: one byte every `interval` seconds."""

    def answer(handler: _Handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        handler.wfile.flush()
        while True:
            time.sleep(interval)
            handler.wfile.write(b"x")
            handler.wfile.flush()

    return answer


def endless_body(*, total: int = 3 * GIB, chunk: int = 64 * 1024, content_length: bool = False) -> Route:
    """A 200 whose body is `total` bytes of JSON-looking filler generated lazily, without a
    Content-Length (the client can't refuse it up front) unless `content_length`."""
    filler = b"[" + b" " * (chunk - 1)

    def answer(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if content_length:
            handler.send_header("Content-Length", str(total))
        handler.end_headers()
        written = 0
        while written < total:
            handler.write_body(filler)
            written += len(filler)

    return answer


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def long_number(digits: int = 5_000) -> bytes:
    return b'{"n": ' + b"7" * digits + b"}"


# --- the server ----------------------------------------------------------------------------------


@contextmanager
def hostile_server(folder: Path, ca: trustme.CA | None = None) -> Iterator[HostileServer]:
    """The server on 127.0.0.1 with a certificate of `ca` (a fresh test CA by default, its PEM written to
    `folder/hostile-ca.pem`); stopped when done."""
    ca = ca or trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = folder / "hostile-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = _Server(("127.0.0.1", 0), _Handler)
    # The handshake happens in the handler's thread, so a stalled client can't hold the accept loop.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    hostile = HostileServer(f"https://127.0.0.1:{server.server_address[1]}", ca_file)
    server.hostile = hostile
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hostile
    finally:
        server.shutdown()
        server.server_close()

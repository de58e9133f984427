"""The loopback listener of `--login` (DESIGN.md contract 6): on 127.0.0.1 at the first free
`redirect_ports` port, as kubelogin binds it, it waits for the browser's redirect with the code. It serves
one connection at a time, each with its own short time, so an idle or dripping connection can't hold it."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

CONNECTION_SECONDS = 5.0
"""How long one connection to the listener may take to send its request (a browser's redirect takes
milliseconds)."""


class CallbackServer(HTTPServer):
    """Waits for one redirect: the sign-in sets `expected_state` and the `page` to answer with, and finds
    the redirect's query in `received`."""

    expected_state = ""
    received: dict[str, str] | None = None
    page = ""
    connection_seconds = CONNECTION_SECONDS


class _ConnectionReader(io.RawIOBase):
    """A connection's bytes until its deadline: each read waits only for what is left of it, so a
    client that sends nothing, or a byte at a time, is cut off when the connection's time is up."""

    def __init__(self, connection: socket.socket, deadline: float) -> None:
        super().__init__()
        self._connection = connection
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the connection's time is up")
        self._connection.settimeout(left)
        return self._connection.recv_into(buffer)


class _CallbackHandler(BaseHTTPRequestHandler):
    server: CallbackServer

    def setup(self) -> None:
        # The listener serves one connection at a time: each gets `connection_seconds` in all, so an
        # idle or dripping one (a browser's preconnect, or another local process) can't hold it.
        super().setup()
        deadline = time.monotonic() + self.server.connection_seconds
        self.rfile = io.BufferedReader(_ConnectionReader(self.connection, deadline))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query))
        if url.path != "/" or params.get("state") != self.server.expected_state:
            self._answer(400, "Not the sign-in doctor is waiting for: start it again from the terminal.")
            return
        self.server.received = params
        self._answer(200, self.server.page)

    def _answer(self, status: int, text: str) -> None:
        body = f"<!doctype html><title>k8s-oidc doctor</title><p>{text}</p>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the report says what happened."""


def loopback_listener(ports: Sequence[int], *, connection_seconds: float = CONNECTION_SECONDS) -> CallbackServer | None:
    """A listener on 127.0.0.1 at the first free port, as kubelogin binds it; None when all are busy.
    Each connection gets `connection_seconds` to send its request."""
    for port in ports:
        try:
            server = CallbackServer(("127.0.0.1", port), _CallbackHandler)
        except OSError:
            continue
        server.connection_seconds = connection_seconds
        return server
    return None

"""The loopback listener of `--login` (doctor/loopback.py): it answers only the redirect of the sign-in it
waits for, and each connection has its own short time, so an idle or dripping one can't hold it. The
sign-ins through it: test_login.py."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import httpx
import pytest
from doctor_support import free_port
from time_guard import within

from doctor.loopback import CONNECTION_SECONDS, loopback_listener


def test_the_listener_ignores_a_redirect_of_another_sign_in() -> None:
    server = loopback_listener([free_port()])
    assert server is not None
    with server, httpx.Client() as client:
        server.expected_state = "expected"
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        answers: list[int] = []
        thread = threading.Thread(
            target=lambda: answers.append(client.get(url, params={"code": "c", "state": "x"}).status_code)
        )
        thread.start()
        server.handle_request()
        thread.join(timeout=30)
        assert (answers, server.received) == ([400], None)
        thread = threading.Thread(
            target=lambda: answers.append(client.get(url, params={"code": "c", "state": "expected"}).status_code)
        )
        thread.start()
        server.handle_request()
        thread.join(timeout=30)
        assert (answers, server.received) == ([400, 200], {"code": "c", "state": "expected"})


def serve_until_received(server: Any) -> dict[str, str] | None:
    """What doctor's wait does: handle connections one by one until the redirect has come."""

    def serve() -> dict[str, str] | None:
        while server.received is None:
            server.timeout = 10
            server.handle_request()
        return server.received

    return within(30, serve)


def redirect_in_thread(port: int, answers: list[int]) -> threading.Thread:
    def send() -> None:
        with httpx.Client() as client:
            url = f"http://127.0.0.1:{port}/"
            answers.append(client.get(url, params={"code": "c", "state": "expected"}).status_code)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("seconds", [0.5, None], ids=["small", "the-real-5-s"])
def test_an_idle_connection_does_not_hold_the_listener(seconds: float | None) -> None:
    server = loopback_listener([free_port()], **({"connection_seconds": seconds} if seconds else {}))
    assert server is not None
    limit = seconds or CONNECTION_SECONDS
    port = server.server_address[1]
    answers: list[int] = []
    with server, socket.create_connection(("127.0.0.1", port)):  # connected first, then says nothing
        server.expected_state = "expected"
        time.sleep(0.1)
        started = time.monotonic()
        thread = redirect_in_thread(port, answers)
        assert serve_until_received(server) == {"code": "c", "state": "expected"}
        elapsed = time.monotonic() - started
        thread.join(timeout=10)
    assert answers == [200]
    assert limit <= elapsed < limit + 2


def test_a_connection_that_drips_its_request_is_cut_off() -> None:
    server = loopback_listener([free_port()], connection_seconds=0.5)
    assert server is not None
    port = server.server_address[1]
    answers: list[int] = []
    stop = threading.Event()
    with server, socket.create_connection(("127.0.0.1", port)) as dripping:

        def drip() -> None:
            with contextlib.suppress(OSError):  # the listener hung up: the point
                while not stop.wait(0.1):
                    dripping.sendall(b"G")

        threading.Thread(target=drip, daemon=True).start()
        server.expected_state = "expected"
        time.sleep(0.1)
        started = time.monotonic()
        thread = redirect_in_thread(port, answers)
        try:
            assert serve_until_received(server) == {"code": "c", "state": "expected"}
        finally:
            stop.set()
        elapsed = time.monotonic() - started
        thread.join(timeout=10)
    assert answers == [200]
    assert elapsed < 2.5

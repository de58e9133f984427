"""Fixtures of the doctor tests: a test CA and one real OpenID provider per variant, started once per
session on the bundled Node and stopped at its end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from doctor_support import JANE, Pki, Provider, free_port, make_pki, running_provider, write_config
from hostile_https import HostileServer, hostile_server


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("doctor-pki"))


@pytest.fixture(scope="session")
def start_provider(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Provider]]:
    """`start_provider(variant)`: the provider of that variant (see oidc_provider_server.mjs)."""
    ports = (free_port(), free_port())
    started: dict[str, Provider] = {}
    with ExitStack() as stack:

        def start(variant: str) -> Provider:
            if variant not in started:
                folder = tmp_path_factory.mktemp(f"provider-{variant}")
                started[variant] = stack.enter_context(running_provider(variant, folder, pki, ports))
            provider = started[variant]
            provider.set_accounts({"jane": JANE})
            return provider

        yield start


@pytest.fixture
def provider(start_provider: Callable[[str], Provider]) -> Provider:
    """The healthy provider, with the account jane."""
    return start_provider("healthy")


@pytest.fixture
def config(tmp_path: Path, provider: Provider) -> Path:
    return write_config(tmp_path, provider)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileServer]:
    with hostile_server(tmp_path_factory.mktemp("hostile-idp")) as server:
        yield server


@pytest.fixture
def idp(hostile: HostileServer, monkeypatch: pytest.MonkeyPatch) -> HostileServer:
    """A hostile identity provider (routes set by the test), its CA in this process's SSL_CERT_FILE."""
    hostile.routes.clear()
    hostile.sent.clear()
    hostile.requested.clear()
    hostile.headers.clear()
    monkeypatch.setenv("SSL_CERT_FILE", str(hostile.ca_file))
    return hostile

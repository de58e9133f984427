"""Fixtures of the render tests: a CA, a local HTTPS API server using it, stand-in tools on PATH."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_support import ApiServer, BoundedRun, Pki, Tools, api_server, make_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def server(pki: Pki) -> Iterator[ApiServer]:
    with api_server(pki) as api:
        yield api


@pytest.fixture
def api(server: ApiServer) -> Iterator[ApiServer]:
    """The session's server, with this test's tokens, routes and requests only."""
    yield server
    server.tokens.clear()
    server.routes.clear()
    server.requests.clear()
    server.state.clear()


@pytest.fixture
def tools(tmp_path: Path) -> Tools:
    if shutil.which("kubectl") is None:
        pytest.fail("kubectl is required: the generated scripts are tested with the real kubectl")
    folder = tmp_path / "tools"
    (folder / "bin").mkdir(parents=True)
    (folder / "records").mkdir()
    return Tools(folder / "bin", folder / "records")


@pytest.fixture
def bounded() -> Iterator[BoundedRun]:
    """Commands under a process-count limit and a timeout, the machine's kubectl counted, no kubelogin."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is required: the generated scripts are tested with the real kubectl")
    run = BoundedRun.create(kubectl)
    yield run
    run.remove()

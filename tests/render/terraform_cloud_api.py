"""A local stand-in for the HCP Terraform API v2, serving the documented JSON:API shapes of the calls
`render --from-terraform-cloud` makes (workspaces by name, current state version outputs page by page
with sensitive values null, a state version output by id), over HTTPS with a test CA."""

from __future__ import annotations

import json
import os
import re
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from pytest_httpserver import HTTPServer
from render_support import FIXTURES, PROJECT_ROOT
from werkzeug import Request, Response

TOKEN = "tfc-test-token"
ORGANIZATION = "acme"
OUTPUTS: dict[str, dict[str, Any]] = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))
"""The example's outputs (contract 4), what its two pair stacks' workspaces hold once deployed."""


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    authorization: str | None


@dataclass
class FakeTerraformCloud:
    """`workspaces`: workspace name → its outputs ({name: value}), or None for a workspace without a state
    version. Outputs named in `sensitive` are listed with a null value and served by id. `queued`: per
    path, responses given (and used up) before the real one, e.g. a 429 with Retry-After."""

    server: HTTPServer
    ca_file: Path
    workspaces: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    sensitive: frozenset[str] = frozenset({"oidc_client_secret"})
    page_size: int = 100
    queued: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    hostile: dict[str, Callable[[Request], Response]] = field(default_factory=dict)
    """Per path, how a hostile server answers instead (a redirect, a dripped or endless body)."""
    next_page_of: Callable[[int], Any] | None = None
    """The `next-page` a hostile server lists after each page; None: the true one."""
    requests: list[Recorded] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    """Lines a test's in-process read logged."""

    @property
    def hostname(self) -> str:
        return f"127.0.0.1:{self.server.port}"

    def reset(self) -> None:
        self.workspaces.clear()
        self.queued.clear()
        self.hostile.clear()
        self.next_page_of = None
        self.requests.clear()
        self.log.clear()
        self.page_size = 100
        self.server.clear()
        self.server.expect_request(re.compile(r"^/api/v2/"), method="GET").respond_with_handler(self.handle)

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    # --- the API ---------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        self.requests.append(Recorded(request.path, dict(request.args), request.headers.get("Authorization")))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _error(401, "unauthorized")
        if request.path in self.hostile:
            return self.hostile[request.path](request)
        queued = self.queued.get(request.path)
        if queued:
            status, headers = queued.pop(0)
            return _error(status, "queued", headers)
        return self.answer(request)

    def answer(self, request: Request) -> Response:
        """The documented answer to `request`, as the real API gives it."""
        names = list(self.workspaces)
        if match := re.fullmatch(rf"/api/v2/organizations/{ORGANIZATION}/workspaces/([^/]+)", request.path):
            if match[1] not in self.workspaces:
                return _error(404, "not found")
            return _json(self._workspace(names.index(match[1]), match[1]))
        if match := re.fullmatch(r"/api/v2/workspaces/ws-(\d+)/current-state-version-outputs", request.path):
            outputs = self.workspaces[names[int(match[1])]]
            if outputs is None:
                return _error(404, "not found")
            return _json(self._outputs_page(int(match[1]), outputs, request))
        if match := re.fullmatch(r"/api/v2/state-version-outputs/wsout-(\d+)-(\d+)", request.path):
            outputs = self.workspaces[names[int(match[1])]]
            assert outputs is not None
            name, value = list(outputs.items())[int(match[2])]
            return _json({"data": self._output(int(match[1]), int(match[2]), name, value, reveal=True)})
        return _error(404, "not found")

    def _workspace(self, index: int, name: str) -> dict[str, Any]:
        has_state = self.workspaces[name] is not None
        state = {"id": f"sv-{index}", "type": "state-versions"} if has_state else None
        return {
            "data": {
                "id": f"ws-{index}",
                "type": "workspaces",
                "attributes": {"name": name, "auto-apply": False, "execution-mode": "remote"},
                "relationships": {
                    "organization": {"data": {"id": ORGANIZATION, "type": "organizations"}},
                    "current-state-version": {
                        "data": state,
                        **(
                            {"links": {"related": f"/api/v2/workspaces/ws-{index}/current-state-version"}}
                            if state
                            else {}
                        ),
                    },
                },
                "links": {"self": f"/api/v2/organizations/{ORGANIZATION}/workspaces/{name}"},
            }
        }

    def _outputs_page(self, index: int, outputs: dict[str, Any], request: Request) -> dict[str, Any]:
        number = int(request.args.get("page[number]", "1"))
        size = min(int(request.args.get("page[size]", "20")), self.page_size)
        items = list(outputs.items())
        pages = max(1, -(-len(items) // size))
        following = number + 1 if number < pages else None
        if self.next_page_of is not None:
            following = self.next_page_of(number)
        start = (number - 1) * size
        base = f"https://{self.hostname}/api/v2/workspaces/ws-{index}/current-state-version-outputs"
        return {
            "data": [
                self._output(index, position, name, value, reveal=False)
                for position, (name, value) in enumerate(items[start : start + size], start=start)
            ],
            "links": {
                "self": f"{base}?page%5Bnumber%5D={number}&page%5Bsize%5D={size}",
                "next": f"{base}?page%5Bnumber%5D={number + 1}&page%5Bsize%5D={size}" if number < pages else None,
            },
            "meta": {
                "pagination": {
                    "current-page": number,
                    "page-size": size,
                    "prev-page": number - 1 if number > 1 else None,
                    "next-page": following,
                    "total-pages": pages,
                    "total-count": len(items),
                }
            },
        }

    def _output(self, index: int, position: int, name: str, value: Any, *, reveal: bool) -> dict[str, Any]:
        sensitive = name in self.sensitive
        return {
            "id": f"wsout-{index}-{position}",
            "type": "state-version-outputs",
            "attributes": {
                "name": name,
                "sensitive": sensitive,
                "type": "string" if isinstance(value, str) else "object",
                # Documented: the workspace's current outputs list sensitive values as null.
                "value": None if sensitive and not reveal else value,
                "detailed-type": "string" if isinstance(value, str) else ["object", {}],
            },
            "links": {"self": f"/api/v2/state-version-outputs/wsout-{index}-{position}"},
        }


def _json(document: dict[str, Any]) -> Response:
    return Response(json.dumps(document), status=200, content_type="application/vnd.api+json")


def _error(status: int, title: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"errors": [{"status": str(status), "title": title}]})
    return Response(body, status=status, headers=headers or {}, content_type="application/vnd.api+json")


@contextmanager
def fake_terraform_cloud(folder: Path) -> Iterator[FakeTerraformCloud]:
    """The stand-in on 127.0.0.1 with a certificate of a fresh test CA, written to `folder/ca.pem`."""
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.start()
    api = FakeTerraformCloud(server, ca_file)
    api.reset()
    try:
        yield api
    finally:
        server.clear()
        if server.is_running():
            server.stop()


# --- the CLI against it ----------------------------------------------------------------------------


def cloud_config(tmp_path: Path, hostname: str) -> Path:
    """The example config (fixtures/oidc.yaml) with its state in Terraform Cloud at `hostname`."""
    text = (FIXTURES / "oidc.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "version: 1\n", f"version: 1\nbackend: {{type: cloud, organization: {ORGANIZATION}, hostname: {hostname!r}}}\n"
    )
    path = tmp_path / "oidc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def home_with_token(tmp_path: Path, hostname: str, token: str = TOKEN) -> Path:
    """A home folder whose ~/.terraform.d/credentials.tfrc.json holds `token` for `hostname`, as
    `terraform login` writes it."""
    home = tmp_path / "home"
    (home / ".terraform.d").mkdir(parents=True)
    document = {"credentials": {hostname: {"token": token}}}
    (home / ".terraform.d" / "credentials.tfrc.json").write_text(json.dumps(document), encoding="utf-8")
    return home


def render_cli(config: Path, out: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "render", "--config", str(config), *args, "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_env(api: FakeTerraformCloud, home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_TOKEN_")}
    return {**env, "HOME": str(home), "SSL_CERT_FILE": str(api.ca_file), **extra}

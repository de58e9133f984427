"""Helpers of the doctor tests: a real OpenID provider (node-oidc-provider) over HTTPS with a test CA,
a config whose IdPs use it, the doctor CLI, and a "browser" that signs in over HTTP."""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import trustme
from joserfc import jwt
from joserfc.jwk import RSAKey
from tool_support import require_tool

from constructs_lib.oidc import GOOGLE_USERINFO_EMAIL_SCOPE, GOOGLE_USERINFO_PROFILE_SCOPE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = Path(__file__).with_name("oidc_provider_server.mjs")
PUBLIC_CLIENT = "doctor-public"
DESKTOP_CLIENT = "doctor-desktop.apps.googleusercontent.com"
DESKTOP_SECRET = "doctor-desktop-test-secret"
KEY_ID = "doctor-test-key"
JANE = {"email": "jane@example.com", "email_verified": True, "groups": ["admins", "developers"]}
"""A healthy account: verified email, two groups."""
TIMEOUT = 60


@dataclass(frozen=True)
class Provider:
    """A running node-oidc-provider: its issuer, the CA that signed its certificate, its signing key."""

    issuer: str
    ca_file: Path
    accounts_file: Path
    key: RSAKey
    redirect_ports: tuple[int, int]

    def set_accounts(self, accounts: Mapping[str, Mapping[str, Any]]) -> None:
        """The claims each login name gets (read by the provider at every sign-in)."""
        self.accounts_file.write_text(json.dumps(accounts), encoding="utf-8")

    def sign(self, claims: Mapping[str, Any]) -> str:
        """An ID token signed with the provider's own key (its JWKS verifies it)."""
        return jwt.encode({"alg": "RS256", "kid": KEY_ID, "typ": "JWT"}, dict(claims), self.key)

    def token(self, **overrides: Any) -> str:
        """A valid ID token of jane for the public client, with `overrides` (None removes a claim)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "jane",
            "aud": PUBLIC_CLIENT,
            "iat": now,
            "exp": now + 3600,
            **JANE,
        }
        claims.update(overrides)
        return self.sign({key: value for key, value in claims.items() if value is not None})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Pki:
    ca: trustme.CA
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_pki(folder: Path) -> Pki:
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    pki = Pki(ca, folder / "ca.pem", folder / "server.pem", folder / "server.key")
    ca.cert_pem.write_to_path(pki.ca_file)
    pki.cert_file.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(pki.key_file)
    return pki


@contextmanager
def running_provider(variant: str, folder: Path, pki: Pki, redirect_ports: tuple[int, int]) -> Iterator[Provider]:
    """Start the provider on the bundled Node; stop it when done."""
    node = require_tool("node")
    folder.mkdir(parents=True, exist_ok=True)
    key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "alg": "RS256", "use": "sig"}, private=True)
    accounts = folder / "accounts.json"
    accounts.write_text(json.dumps({"jane": JANE}), encoding="utf-8")
    redirect_uris = [f"http://localhost:{port}" for port in redirect_ports]
    common = {"application_type": "native", "grant_types": ["authorization_code"], "response_types": ["code"]}
    settings = {
        "tls": {"cert": str(pki.cert_file), "key": str(pki.key_file)},
        "jwks": {"keys": [key.as_dict(private=True)]},
        "accounts": str(accounts),
        "claims": {
            "openid": ["sub"],
            "email": ["email", "email_verified"],
            "profile": ["name", "groups"],
            GOOGLE_USERINFO_EMAIL_SCOPE: ["email", "email_verified"],
            GOOGLE_USERINFO_PROFILE_SCOPE: ["name"],
        },
        "clients": [
            {
                "client_id": PUBLIC_CLIENT,
                "token_endpoint_auth_method": "none",
                "redirect_uris": redirect_uris,
                **common,
            },
            {
                "client_id": DESKTOP_CLIENT,
                "client_secret": DESKTOP_SECRET,
                "token_endpoint_auth_method": "client_secret_basic",
                "redirect_uris": redirect_uris,
                **common,
            },
        ],
    }
    settings_file = folder / "settings.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    # Not the test process's NODE_OPTIONS: prepare_jsii_runtime put jsii's preload there.
    env = {name: value for name, value in os.environ.items() if name != "NODE_OPTIONS"}
    process = subprocess.Popen(
        [node, str(SERVER_SCRIPT), "--variant", variant, str(settings_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=(folder / "provider.log").open("w"),
        env=env,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = _read_line(process.stdout, TIMEOUT)
        if not line:
            process.wait(timeout=TIMEOUT)
            raise AssertionError(f"the provider did not start: {(folder / 'provider.log').read_text()}")
        yield Provider(json.loads(line)["issuer"], pki.ca_file, accounts, key, redirect_ports)
    finally:
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)


def _read_line(stream: Any, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


# --- configs and outputs -------------------------------------------------------------------------


def write_config(
    folder: Path,
    provider: Provider,
    *,
    corp_issuer: str | None = None,
    corp_settings: str = "",
    ports: tuple[int, ...] | None = None,
) -> Path:
    """A config with two IdPs on the provider: `corp` (JumpCloud style: a public client) on the
    clusters prod and data, and `gws` (Google Workspace style: a Desktop-app client with a secret) on
    lab. `corp_settings`: more keys of `corp`, as YAML lines indented by four spaces."""
    redirect_ports = ", ".join(map(str, ports or provider.redirect_ports))
    text = f"""\
version: 1
defaults:
  redirect_ports: [{redirect_ports}]
identity_providers:
  corp:
    type: jumpcloud
    prefix: "corp:"
    issuer_url: {corp_issuer or provider.issuer}
    client_id: {PUBLIC_CLIENT}
{corp_settings}  gws:
    type: google_workspace
    prefix: "gws:"
    issuer_url: {provider.issuer}
    client_id: {DESKTOP_CLIENT}
clusters:
  prod: {{type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [corp]}}
  data: {{type: gke, project: acme-data, location: us-west1, cluster_name: data, identity_providers: [corp]}}
  lab: {{type: gke, project: acme-lab1, location: us-west1, cluster_name: lab, identity_providers: [gws]}}
access:
  - {{identity_provider: corp, group: admins, cluster_role: cluster-admin}}
  - {{identity_provider: corp, group: developers, cluster_role: edit, clusters: [data], namespace: team-a}}
  - {{identity_provider: corp, group: auditors, cluster_role: view, clusters: [prod]}}
  - {{identity_provider: gws, user: jane@example.com, cluster_role: view}}
"""
    path = folder / "oidc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def oidc_config_output(provider: Provider, **fields: Any) -> dict[str, Any]:
    """A pair stack's `oidc_config` output (contract 4) for the public client on `provider`, with `fields`."""
    return {
        "client_id": PUBLIC_CLIENT,
        "issuer_url": provider.issuer,
        "user_claim": "email",
        "groups_claim": "groups",
        "username_prefix": "corp:",
        "groups_prefix": "corp:",
        "scopes": ["openid", "profile", "email"],
        "pkce_method": "S256",
        "redirect_uris": [f"http://localhost:{port}" for port in provider.redirect_ports],
        "requires_client_secret": False,
        **fields,
    }


# --- the CLI -------------------------------------------------------------------------------------


def doctor_env(provider: Provider | None, **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in ("SSL_CERT_FILE", "NODE_OPTIONS")}
    if provider is not None:
        env["SSL_CERT_FILE"] = str(provider.ca_file)
    env.update(extra)
    return env


def run_doctor(
    config: Path, *args: str, env: Mapping[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "doctor", "--config", str(config), *args],
        cwd=PROJECT_ROOT,
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    # The config's own warnings (e.g. the GKE Identity Service deprecation) are the loader's, not doctor's.
    result.stderr = "".join(line for line in result.stderr.splitlines(True) if not line.startswith("warning: "))
    return result


def lines(output: str) -> list[str]:
    return output.splitlines()


DISCOVERY_CHECKS = frozenset(
    ("discovery", "issuer", "jwks", "response types", "PKCE methods", "client authentication", "scopes", "claims")
)
_LINE = re.compile(r"(?P<status>\S+) +(?P<idp>\S+) +(?P<check>[^:]+): ")


def check_of(line: str) -> str:
    """The check named by a report line (`ok    corp  cluster prod: …` → `cluster prod`)."""
    match = _LINE.match(line)
    assert match, line
    return match["check"]


# --- a browser that signs in over HTTP -----------------------------------------------------------

SIGN_IN_URL = re.compile(r"^\s+(https://\S+)$")


class _Forms(HTMLParser):
    """The first form of a page: its action and its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = values.get("action") or ""
        elif tag == "input" and values.get("name"):
            self.fields[str(values["name"])] = values.get("value") or ""


class Browser:
    """Follows a sign-in URL through the provider's login and consent pages, with a session cookie
    kept between sign-ins, until the redirect reaches doctor's listener."""

    def __init__(self, provider: Provider, login: str) -> None:
        context = ssl.create_default_context(cafile=str(provider.ca_file))
        self._client = httpx.Client(verify=context, timeout=TIMEOUT, follow_redirects=True)
        self._login = login
        self.landings: list[httpx.Response] = []

    def sign_in(self, url: str) -> None:
        response = self._client.get(url)
        for _ in range(6):
            if response.url.host == "localhost":
                self.landings.append(response)
                return
            form = _Forms()
            form.feed(response.text)
            assert form.action is not None, f"no form at {response.url}: {response.status_code} {response.text[:500]}"
            fields = dict(form.fields)
            if "login" in fields:
                fields.update(login=self._login, password="any password")
            response = self._client.post(urljoin(str(response.url), form.action), data=fields)
        raise AssertionError(f"the sign-in did not reach the redirect URI: stuck at {response.url}")

    def close(self) -> None:
        self._client.close()


def run_login(
    config: Path, *args: str, provider: Provider, login: str = "jane", env: Mapping[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], Browser]:
    """`doctor --login --no-browser`, each printed sign-in URL followed by the test's browser."""
    command = [sys.executable, str(PROJECT_ROOT / "main.py"), "doctor", "--config", str(config), "--login"]
    process = subprocess.Popen(
        [*command, "--no-browser", *args],
        cwd=PROJECT_ROOT,
        env=dict(env or doctor_env(provider)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    browser = Browser(provider, login)
    stderr_lines: queue.Queue[str | None] = queue.Queue()

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            stderr_lines.put(line)
        stderr_lines.put(None)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + TIMEOUT
        while (line := stderr_lines.get(timeout=max(deadline - time.monotonic(), 0.1))) is not None:
            seen.append(line)
            match = SIGN_IN_URL.match(line.rstrip("\n"))
            if match:
                browser.sign_in(match[1])
        assert process.stdout is not None
        stdout = process.stdout.read()
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
        browser.close()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, "".join(seen)), browser

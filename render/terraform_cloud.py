"""`render --from-terraform-cloud` (DESIGN.md contract 7): each pair stack's outputs, read from its
workspace's current state version through the HCP Terraform / Terraform Enterprise API as HashiCorp
documents it (API v2, JSON:API documents):

1. `GET /api/v2/organizations/:organization/workspaces/:name`: the workspace's id, and whether it has a
   state yet (`relationships.current-state-version.data` is null until the first apply);
2. `GET /api/v2/workspaces/:id/current-state-version-outputs`, page by page (`page[number]`,
   `page[size]`, `meta.pagination.next-page`): every output; sensitive values come back as null;
3. `GET /api/v2/state-version-outputs/:id` for each sensitive output the render needs: its value.

The token is the one Terraform itself uses for the host; TLS verifies against the system's CA store
plus `SSL_CERT_FILE` when set. 429 and 503 (outputs still being processed) are retried after
`Retry-After`, a bounded number of times; workspaces are read a few at a time, in threads.

The result has the shape the outputs file has (`{stack: {output: value}}`), so the render's checks
and files are the same whichever way the outputs came. No cdktf here.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import os
import ssl
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from render.selection import pair_stacks
from stacks.config import DEFAULT_CLOUD_HOSTNAME, CloudBackend, Config
from stacks.errors import Problem, UserError

DEFAULT_WORKERS = 8
"""Workspaces read at once: HCP Terraform allows 30 requests per second per token."""
PAGE_SIZE = 100
"""The API's largest page."""
MAX_RETRIES = 5
"""Retries of one request answered 429 or 503, each after the wait the server asks for."""
MAX_RETRY_WAIT = 60.0
"""Seconds: a longer `Retry-After` is cut to this (the run stays bounded)."""
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
CREDENTIALS_FILE = Path(".terraform.d") / "credentials.tfrc.json"
"""Where `terraform login` keeps tokens, under the home folder."""
NEEDED_OUTPUTS = ("oidc_config", "oidc_client_secret", "cluster", "workforce")
"""The outputs the render reads (contract 4); a sensitive value is fetched only for these."""

RawOutputs = dict[str, dict[str, Any]]
Log = Callable[[str], None]


@dataclass(frozen=True)
class Workspace:
    """The workspace that holds one stack's state."""

    stack: str
    name: str


class _WorkspaceError(Exception):
    """One workspace could not be read: the message says why and what to do."""


class _NotFound(_WorkspaceError):
    """404: HCP Terraform also answers so for what the token may not see."""


class _TokenRefused(_WorkspaceError):
    """401: every other request would be refused alike."""


class _NotTried(Exception):
    """Not requested: the token was refused already."""


@dataclass
class _Counter:
    """Requests and retries of a run, counted from every worker thread."""

    requests: int = 0
    retries: int = 0
    waits: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self) -> None:
        with self.lock:
            self.requests += 1

    def retry(self, wait: float) -> None:
        with self.lock:
            self.retries += 1
            self.waits.append(wait)


def read_workspace_outputs(
    backend: CloudBackend,
    stacks: Sequence[str],
    *,
    log: Log,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    workers: int = DEFAULT_WORKERS,
    sleep: Callable[[float], None] = time.sleep,
) -> RawOutputs:
    """{stack: {output: value}} for each of `stacks` from its workspace `<workspace_prefix><stack>`; raise
    `UserError` naming every workspace that could not be read (a missing workspace, one without state,
    a refused token, a network error)."""
    env = os.environ if env is None else env
    hostname = backend.hostname or DEFAULT_CLOUD_HOSTNAME
    source = f"Terraform Cloud {hostname}/{backend.organization}"
    token = api_token(hostname, env, Path.home() if home is None else home)
    context = ssl_context(env)
    workspaces = [Workspace(stack, f"{backend.workspace_prefix}{stack}") for stack in stacks]
    counter = _Counter()
    started = time.perf_counter()
    results: RawOutputs = {}
    problems: dict[str, Problem] = {}
    not_read = 0
    with (
        httpx.Client(
            base_url=f"https://{hostname}/api/v2/",
            verify=context,
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.api+json",
                "Content-Type": "application/vnd.api+json",
                "User-Agent": "k8s-oidc render",
            },
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="terraform-cloud") as pool,
    ):
        api = _Api(client, counter, sleep)
        futures = {
            pool.submit(_read_workspace, api, backend.organization, workspace): workspace for workspace in workspaces
        }
        for future in as_completed(futures):
            workspace = futures[future]
            try:
                outputs = future.result()
            except _NotTried:
                not_read += 1
                continue
            except _WorkspaceError as error:
                problems[workspace.stack] = Problem(workspace.stack, f"workspace {workspace.name}: {error}")
                log(f"failed {workspace.stack}: workspace {workspace.name}: {error}")
                continue
            results[workspace.stack] = outputs
            log(f"read {workspace.stack} from workspace {workspace.name} ({_count(len(outputs), 'output')})")
    seconds = time.perf_counter() - started
    failed = f", {len(problems)} failed" if problems else ""
    log(
        f"read {len(results)} of {_count(len(workspaces), 'workspace')} from {hostname}/{backend.organization} "
        f"in {seconds:.1f} s ({_count(counter.requests, 'request')}, {_count(counter.retries, 'retry', 'retries')}, "
        f"{max(1, workers)} at a time{failed})"
    )
    if problems:
        # In the order of the config, not of completion.
        listed = [problems[w.stack] for w in workspaces if w.stack in problems]
        if not_read:
            listed.append(Problem("", f"{_count(not_read, 'more workspace')} not read once the token was refused"))
        raise UserError(source, listed)
    return {w.stack: results[w.stack] for w in workspaces}


def workspace_outputs(
    config: Config, stacks: Sequence[str] | None, *, workers: int = DEFAULT_WORKERS
) -> tuple[str, Callable[[], RawOutputs]]:
    """`render --from-terraform-cloud`: the name of the source, and the reader of the outputs of `stacks`
    (default: every pair stack of the config); `UserError` when the config's backend is local."""
    backend = config.backend
    if not isinstance(backend, CloudBackend):
        raise UserError(
            str(config.source),
            [
                Problem(
                    "backend",
                    "--from-terraform-cloud reads the workspaces of a cloud backend, and this config keeps state "
                    "locally; set `backend: {type: cloud, organization: …}`, or render with --outputs",
                )
            ],
        )
    selected = list(stacks) if stacks is not None else pair_stacks(config)

    def read() -> RawOutputs:
        return read_workspace_outputs(backend, selected, log=_stderr, workers=workers)

    return f"Terraform Cloud {backend.hostname or DEFAULT_CLOUD_HOSTNAME}/{backend.organization}", read


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# --- credentials and TLS -------------------------------------------------------------------------


def api_token(hostname: str, env: Mapping[str, str], home: Path) -> str:
    """The token Terraform uses for `hostname`: `TF_TOKEN_<hostname>` (`.` written `_`, `-` written
    `__`), else `credentials.<hostname>.token` in `~/.terraform.d/credentials.tfrc.json` (what
    `terraform login` writes); `UserError` when there is none."""
    wanted = hostname.lower()
    for name, value in env.items():
        if name.startswith("TF_TOKEN_") and value:
            # As Terraform decodes them: `__` first (a hyphen), then `_` (a dot).
            host = name.removeprefix("TF_TOKEN_").replace("__", "-").replace("_", ".")
            if host.lower() == wanted:
                return value
    path = home / CREDENTIALS_FILE
    if path.is_file():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UserError(str(path), [Problem("", f"cannot read Terraform's credentials: {error}")]) from None
        credentials = document.get("credentials") if isinstance(document, dict) else None
        if isinstance(credentials, dict):
            for host, entry in credentials.items():
                if isinstance(host, str) and host.lower() == wanted and isinstance(entry, dict):
                    token = entry.get("token")
                    if isinstance(token, str) and token:
                        return token
    variable = "TF_TOKEN_" + hostname.replace("-", "__").replace(".", "_")
    raise UserError(
        f"Terraform Cloud {hostname}",
        [
            Problem(
                "",
                f"no API token for {hostname}: run `terraform login {hostname}` (it writes {path}), or set "
                f"{variable} to a user or team token that may read the workspaces' state outputs",
            )
        ],
    )


def ssl_context(env: Mapping[str, str]) -> ssl.SSLContext:
    """The system's CA store, plus the certificates in `SSL_CERT_FILE` when it is set (a company CA)."""
    context = ssl.create_default_context()
    defaults = ssl.get_default_verify_paths()
    # OpenSSL's default store is SSL_CERT_FILE alone when that is set: load the system's too.
    if defaults.openssl_cafile and Path(defaults.openssl_cafile).is_file():
        context.load_verify_locations(cafile=defaults.openssl_cafile)
    if defaults.openssl_capath and Path(defaults.openssl_capath).is_dir():
        context.load_verify_locations(capath=defaults.openssl_capath)
    extra = env.get("SSL_CERT_FILE")
    if extra:
        try:
            context.load_verify_locations(cafile=extra)
        except (OSError, ssl.SSLError) as error:
            raise UserError(
                "SSL_CERT_FILE",
                [Problem("", f"{extra}: cannot load CA certificates from it ({error}); expected a PEM file")],
            ) from None
    return context


# --- the API -------------------------------------------------------------------------------------


@dataclass
class _Api:
    client: httpx.Client
    counter: _Counter
    sleep: Callable[[float], None]
    token_refused: threading.Event = field(default_factory=threading.Event)

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> dict[str, Any]:
        """The JSON:API document at `path`; 429 and 503 are retried after the wait the server asks for.
        Once the token was refused (401), no further request is made: each would be refused alike."""
        for attempt in range(MAX_RETRIES + 1):
            if self.token_refused.is_set():
                raise _NotTried
            self.counter.request()
            try:
                response = self.client.get(path, params=params)
            except httpx.TimeoutException:
                raise _WorkspaceError(f"no answer from {self.client.base_url.host} within the timeout") from None
            except httpx.HTTPError as error:
                hint = (
                    " (its certificate is not signed by a CA this machine trusts: set SSL_CERT_FILE to a PEM file "
                    "holding your company's CA)"
                    if "CERTIFICATE_VERIFY_FAILED" in str(error)
                    else ""
                )
                raise _WorkspaceError(f"cannot reach {self.client.base_url.host}: {error}{hint}") from None
            if response.status_code in (429, 503) and attempt < MAX_RETRIES:
                wait = _retry_wait(response, attempt)
                self.counter.retry(wait)
                self.sleep(wait)
                continue
            if response.status_code == 401:
                self.token_refused.set()
            return _document(response)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _retry_wait(response: httpx.Response, attempt: int) -> float:
    """Seconds to wait before retrying: `Retry-After` (seconds or an HTTP date), else HCP Terraform's
    `X-RateLimit-Reset`, else 1, 2, 4, … seconds; never more than MAX_RETRY_WAIT."""
    wait = float(2**attempt)
    header = response.headers.get("Retry-After") or response.headers.get("X-RateLimit-Reset")
    if header:
        try:
            wait = float(header)
        except ValueError:
            # Neither seconds nor a date: back off as without the header.
            with contextlib.suppress(TypeError, ValueError):
                wait = email.utils.parsedate_to_datetime(header).timestamp() - time.time()
    return min(max(wait, 0.0), MAX_RETRY_WAIT)


def _document(response: httpx.Response) -> dict[str, Any]:
    status = response.status_code
    if status == 401:
        raise _TokenRefused(
            "the API refused the token (401 Unauthorized): run `terraform login` again or set a valid TF_TOKEN_…"
        )
    if status == 403:
        raise _WorkspaceError("the token may not read it (403 Forbidden): it needs permission to read state outputs")
    if status == 404:
        raise _NotFound("not found (404)")
    if status == 429:
        raise _WorkspaceError(f"still rate limited (429) after {MAX_RETRIES} retries: try again later")
    if status == 503:
        raise _WorkspaceError(f"outputs still being processed (503) after {MAX_RETRIES} retries: try again later")
    if status != 200:
        raise _WorkspaceError(f"the API answered {status} {response.reason_phrase} for {response.url.path}")
    try:
        document = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _WorkspaceError(f"the API answered {response.url.path} with something other than JSON") from None
    if not isinstance(document, dict) or "data" not in document:
        raise _WorkspaceError(f"the API answered {response.url.path} without a JSON:API `data` member")
    return document


def _read_workspace(api: _Api, organization: str, workspace: Workspace) -> dict[str, Any]:
    try:
        document = api.get(f"organizations/{quote(organization, safe='')}/workspaces/{quote(workspace.name, safe='')}")
    except _NotFound:
        raise _WorkspaceError(
            f"not found in organization {organization} (404; or the token may not see it): apply the "
            f"terraform-cloud stack first, then deploy {workspace.stack}"
        ) from None
    data = document["data"]
    workspace_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(workspace_id, str) or not workspace_id:
        raise _WorkspaceError("the API answered without the workspace's id")
    state = _related(data, "current-state-version")
    if state is None:
        raise _WorkspaceError(f"has no state yet: deploy the stack first (cdktf deploy {workspace.stack})")
    items: list[Any] = []
    page: int | None = 1
    while page is not None:
        try:
            listing = api.get(
                f"workspaces/{quote(workspace_id, safe='')}/current-state-version-outputs",
                params={"page[number]": page, "page[size]": PAGE_SIZE},
            )
        except _NotFound:
            raise _WorkspaceError(
                f"has no state version outputs (404): deploy the stack first (cdktf deploy {workspace.stack})"
            ) from None
        batch = listing["data"]
        if not isinstance(batch, list):
            raise _WorkspaceError("the API listed the outputs as something other than a list")
        items += batch
        page = _next_page(listing, page)
    outputs: dict[str, Any] = {}
    for item in items:
        attributes = item.get("attributes") if isinstance(item, dict) else None
        if not isinstance(attributes, dict) or not isinstance(attributes.get("name"), str):
            raise _WorkspaceError("the API listed an output without a name")
        name = attributes["name"]
        if name not in NEEDED_OUTPUTS:
            continue
        value = attributes.get("value")
        if attributes.get("sensitive") is True and value is None:
            value = _sensitive_value(api, item)
        outputs[name] = value
    return outputs


def _related(data: dict[str, Any], relationship: str) -> Any:
    relationships = data.get("relationships")
    related = relationships.get(relationship) if isinstance(relationships, dict) else None
    return related.get("data") if isinstance(related, dict) else None


def _next_page(listing: dict[str, Any], page: int) -> int | None:
    """The next page number from `meta.pagination` (never a link: those name a host, and the token goes
    only to the configured one)."""
    meta = listing.get("meta")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    following = pagination.get("next-page") if isinstance(pagination, dict) else None
    if following is None:
        return None
    if not isinstance(following, int) or following <= page:
        raise _WorkspaceError(f"the API's pagination went from page {page} to {following!r}")
    return following


def _sensitive_value(api: _Api, item: dict[str, Any]) -> Any:
    output_id = item.get("id")
    if not isinstance(output_id, str) or not output_id:
        raise _WorkspaceError("the API listed a sensitive output without its id")
    document = api.get(f"state-version-outputs/{quote(output_id, safe='')}")
    data = document["data"]
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict) or "value" not in attributes:
        raise _WorkspaceError(f"the API answered state version output {output_id} without its value")
    return attributes["value"]


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"

"""`render --from-terraform-cloud` (DESIGN.md contract 7): each pair stack's outputs, read from its
workspace's current state version through the HCP Terraform / Terraform Enterprise API as HashiCorp
documents it (API v2, JSON:API documents):

1. `GET /api/v2/organizations/:organization/workspaces/:name`: the workspace's id, and whether it has a
   state yet (`relationships.current-state-version.data` is null until the first apply);
2. `GET /api/v2/workspaces/:id/current-state-version-outputs`, page by page (`page[number]`,
   `page[size]`, `meta.pagination.next-page`): every output; sensitive values come back as null;
3. `GET /api/v2/state-version-outputs/:id` for each sensitive output the render needs: its value.

The token is the one Terraform itself uses for the host; TLS and the bounds of each answer are
`render.https`'s. What the API sends is bounded (contract 7, `ReadBounds`): at most 16 MiB read per
answer, a `next-page` greater than the page it is on, at most 100 pages and 60 s per workspace, and no
redirect followed (the token would go along); a breach is bad input naming the workspace. 429 and 503
(outputs still being processed) are retried after `Retry-After`, a bounded number of times, within
the workspace's 60 s; workspaces are read a few at a time, in threads.

The result has the shape the outputs file has (`{stack: {output: value}}`), so the render's checks
and files are the same whichever way the outputs came. No cdktf here.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
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

from render.https import Answer, HttpsFailure, TlsFailure, TooLarge, TooSlow, Unreachable, exchange, https_client
from render.input_files import InputFileError, read_json_file, size_text
from render.json_input import JsonInputError, MalformedJson, parse_json
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
CREDENTIALS_FILE = Path(".terraform.d") / "credentials.tfrc.json"
"""Where `terraform login` keeps tokens, under the home folder."""
NEEDED_OUTPUTS = ("oidc_config", "oidc_client_secret", "cluster", "workforce")
"""The outputs the render reads (contract 4); a sensitive value is fetched only for these."""

RawOutputs = dict[str, dict[str, Any]]
Log = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class ReadBounds:
    """What reading one workspace may cost (DESIGN.md contract 7): whatever the API sends, the run
    ends, and a breach is bad input naming the workspace."""

    max_answer_bytes: int = 16 * 1024 * 1024
    """Bytes of one answer's body: reading stops one byte past this (a page of 100 outputs is a few
    hundred KiB)."""
    max_pages: int = 100
    """Pages of outputs of one workspace (100 outputs a page; k8s-oidc's stacks have four)."""
    seconds: float = 60.0
    """Wall time of everything one workspace takes, from its first request to its last byte, waits
    before retries included."""


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
    bounds: ReadBounds = ReadBounds(),
) -> RawOutputs:
    """{stack: {output: value}} for each of `stacks` from its workspace `<workspace_prefix><stack>`; raise
    `UserError` naming every workspace that could not be read (a missing workspace, one without state,
    a refused token, a network error, an answer past `bounds`)."""
    env = os.environ if env is None else env
    hostname = backend.hostname or DEFAULT_CLOUD_HOSTNAME
    source = f"Terraform Cloud {hostname}/{backend.organization}"
    token = api_token(hostname, env, Path.home() if home is None else home)
    workspaces = [Workspace(stack, f"{backend.workspace_prefix}{stack}") for stack in stacks]
    counter = _Counter()
    started = time.perf_counter()
    results: RawOutputs = {}
    problems: dict[str, Problem] = {}
    not_read = 0
    with (
        https_client(
            env,
            base_url=f"https://{hostname}/api/v2/",
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.api+json",
                "Content-Type": "application/vnd.api+json",
                "User-Agent": "k8s-oidc render",
            },
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="terraform-cloud") as pool,
    ):
        api = _Api(client, counter, sleep, bounds)
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


# --- credentials ---------------------------------------------------------------------------------


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
            document = read_json_file(path)
        except (InputFileError, JsonInputError) as error:
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


# --- the API -------------------------------------------------------------------------------------


@dataclass
class _Api:
    client: httpx.Client
    counter: _Counter
    sleep: Callable[[float], None]
    bounds: ReadBounds
    token_refused: threading.Event = field(default_factory=threading.Event)

    @property
    def host(self) -> str:
        return self.client.base_url.host

    def get(self, path: str, deadline: float, params: Mapping[str, str | int] | None = None) -> dict[str, Any]:
        """The JSON:API document at `path`, whole by `deadline` (`time.monotonic()`); 429 and 503 are
        retried after the wait the server asks for, when that ends before the deadline. Once the token
        was refused (401), no further request is made: each would be refused alike."""
        for attempt in range(MAX_RETRIES + 1):
            if self.token_refused.is_set():
                raise _NotTried
            self.counter.request()
            answer = self._exchange(path, deadline, params)
            if answer.status_code in (429, 503) and attempt < MAX_RETRIES:
                wait = _retry_wait(answer.headers, attempt)
                if time.monotonic() + wait >= deadline:
                    raise _WorkspaceError(
                        f"the API answered {answer.status_code} and asked to wait {wait:g} s, past the "
                        f"{self.bounds.seconds:g} s one workspace may take: try again later"
                    )
                self.counter.retry(wait)
                self.sleep(wait)
                continue
            if answer.status_code == 401:
                self.token_refused.set()
            return _document(answer)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _exchange(self, path: str, deadline: float, params: Mapping[str, str | int] | None) -> Answer:
        try:
            return exchange(
                self.client, "GET", path, deadline=deadline, max_bytes=self.bounds.max_answer_bytes, params=params
            )
        except TooSlow:
            raise _WorkspaceError(
                f"no complete answer from {self.host} within the {self.bounds.seconds:g} s one workspace may take"
            ) from None
        except TooLarge as error:
            limit = size_text(self.bounds.max_answer_bytes)
            raise _WorkspaceError(
                f"the API answered {httpx.URL(error.url).path} with more than {limit}: at most {limit} of one answer "
                "is read"
            ) from None
        except TlsFailure as error:
            hint = (
                ": its certificate is not signed by a CA this machine trusts: set SSL_CERT_FILE to a PEM file "
                "holding your company's CA"
                if error.verify_failed
                else ""
            )
            raise _WorkspaceError(f"TLS failure talking to {self.host}: {error.reason}{hint}") from None
        except Unreachable as error:
            raise _WorkspaceError(f"cannot reach {self.host}: {error.cause}") from None
        except HttpsFailure as error:
            raise _WorkspaceError(str(error)) from None


def _retry_wait(headers: httpx.Headers, attempt: int) -> float:
    """Seconds to wait before retrying: `Retry-After` (seconds or an HTTP date), else HCP Terraform's
    `X-RateLimit-Reset`, else 1, 2, 4, … seconds; never more than MAX_RETRY_WAIT."""
    wait = float(2**attempt)
    header = headers.get("Retry-After") or headers.get("X-RateLimit-Reset")
    if header:
        try:
            wait = float(header)
        except ValueError:
            # Neither seconds nor a date: back off as without the header.
            with contextlib.suppress(TypeError, ValueError):
                wait = email.utils.parsedate_to_datetime(header).timestamp() - time.time()
    return min(max(wait, 0.0), MAX_RETRY_WAIT)


def _document(answer: Answer) -> dict[str, Any]:
    status = answer.status_code
    path = httpx.URL(answer.url).path
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
    if 300 <= status < 400:
        raise _WorkspaceError(
            f"the API answered {path} with a redirect ({status} {answer.reason}), and redirects are not followed: "
            "the token goes to the configured host only; check backend.hostname"
        )
    if status != 200:
        raise _WorkspaceError(f"the API answered {status} {answer.reason} for {path}")
    try:
        document = parse_json(answer.body)
    except MalformedJson:
        raise _WorkspaceError(f"the API answered {path} with something other than JSON") from None
    except JsonInputError as error:
        raise _WorkspaceError(f"the API answered {path} with {error}") from None
    if not isinstance(document, dict) or "data" not in document:
        raise _WorkspaceError(f"the API answered {path} without a JSON:API `data` member")
    return document


def _read_workspace(api: _Api, organization: str, workspace: Workspace) -> dict[str, Any]:
    deadline = time.monotonic() + api.bounds.seconds
    try:
        document = api.get(
            f"organizations/{quote(organization, safe='')}/workspaces/{quote(workspace.name, safe='')}", deadline
        )
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
    pages = 0
    while page is not None:
        if pages == api.bounds.max_pages:
            raise _WorkspaceError(
                f"the API listed more than {api.bounds.max_pages} pages of outputs (of {PAGE_SIZE} each), more "
                "than any stack has: at most that many are read"
            )
        try:
            listing = api.get(
                f"workspaces/{quote(workspace_id, safe='')}/current-state-version-outputs",
                deadline,
                params={"page[number]": page, "page[size]": PAGE_SIZE},
            )
        except _NotFound:
            raise _WorkspaceError(
                f"has no state version outputs (404): deploy the stack first (cdktf deploy {workspace.stack})"
            ) from None
        pages += 1
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
            value = _sensitive_value(api, item, deadline)
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
        shown = repr(following) if len(repr(following)) <= 40 else repr(following)[:40] + "…"
        raise _WorkspaceError(
            f"the API's pagination went from page {page} to {shown}: a next page must come after the current one"
        )
    return following


def _sensitive_value(api: _Api, item: dict[str, Any], deadline: float) -> Any:
    output_id = item.get("id")
    if not isinstance(output_id, str) or not output_id:
        raise _WorkspaceError("the API listed a sensitive output without its id")
    document = api.get(f"state-version-outputs/{quote(output_id, safe='')}", deadline)
    data = document["data"]
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict) or "value" not in attributes:
        raise _WorkspaceError(f"the API answered state version output {output_id} without its value")
    return attributes["value"]


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"

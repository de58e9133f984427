"""The HCP Terraform / Terraform Enterprise API client of `render --from-terraform-cloud` (DESIGN.md
contract 7): the token Terraform itself uses for the host, requests through `render.https` (its TLS
setup and the bounds of each answer), and every answer turned into a JSON:API document or a sentence.

What the API sends is bounded (`ReadBounds`): at most 16 MiB read per answer and a deadline over
everything one workspace takes; no redirect is followed (the token would go along). 429 and 503
(outputs still being processed) are retried after `Retry-After`, a bounded number of times, within
that deadline. Once the token is refused (401), no further request is made. What a workspace's outputs
are, and how they are paged, is `render.terraform_cloud`'s.
"""

from __future__ import annotations

import contextlib
import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from render.https import Answer, HttpsFailure, TlsFailure, TooLarge, TooSlow, Unreachable, exchange, https_client
from stacks.errors import Problem, UserError
from stacks.input_files import InputFileError, read_json_file, size_text
from stacks.json_input import JsonInputError, MalformedJson, parse_json

MAX_RETRIES = 5
"""Retries of one request answered 429 or 503, each after the wait the server asks for."""
MAX_RETRY_WAIT = 60.0
"""Seconds: a longer `Retry-After` is cut to this (the run stays bounded)."""
CREDENTIALS_FILE = Path(".terraform.d") / "credentials.tfrc.json"
"""Where `terraform login` keeps tokens, under the home folder."""


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


DEFAULT_BOUNDS = ReadBounds()


class WorkspaceError(Exception):
    """One workspace could not be read: the message says why and what to do."""


class NotFound(WorkspaceError):
    """404: HCP Terraform also answers so for what the token may not see."""


class TokenRefused(WorkspaceError):
    """401: every other request would be refused alike."""


class NotTried(Exception):
    """Not requested: the token was refused already."""


@dataclass
class RequestCounter:
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


def api_client(hostname: str, token: str, env: Mapping[str, str]) -> httpx.Client:
    """An HTTPS client (`render.https`) for the API of `hostname`, sending `token`."""
    return https_client(
        env,
        base_url=f"https://{hostname}/api/v2/",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.api+json",
            "Content-Type": "application/vnd.api+json",
            "User-Agent": "k8s-oidc render",
        },
    )


@dataclass
class ApiClient:
    client: httpx.Client
    counter: RequestCounter
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
                raise NotTried
            self.counter.request()
            answer = self._exchange(path, deadline, params)
            if answer.status_code in (429, 503) and attempt < MAX_RETRIES:
                wait = _retry_wait(answer.headers, attempt)
                if time.monotonic() + wait >= deadline:
                    raise WorkspaceError(
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
            raise WorkspaceError(
                f"no complete answer from {self.host} within the {self.bounds.seconds:g} s one workspace may take"
            ) from None
        except TooLarge as error:
            limit = size_text(self.bounds.max_answer_bytes)
            raise WorkspaceError(
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
            raise WorkspaceError(f"TLS failure talking to {self.host}: {error.reason}{hint}") from None
        except Unreachable as error:
            raise WorkspaceError(f"cannot reach {self.host}: {error.cause}") from None
        except HttpsFailure as error:
            raise WorkspaceError(str(error)) from None


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
        raise TokenRefused(
            "the API refused the token (401 Unauthorized): run `terraform login` again or set a valid TF_TOKEN_…"
        )
    if status == 403:
        raise WorkspaceError("the token may not read it (403 Forbidden): it needs permission to read state outputs")
    if status == 404:
        raise NotFound("not found (404)")
    if status == 429:
        raise WorkspaceError(f"still rate limited (429) after {MAX_RETRIES} retries: try again later")
    if status == 503:
        raise WorkspaceError(f"outputs still being processed (503) after {MAX_RETRIES} retries: try again later")
    if 300 <= status < 400:
        raise WorkspaceError(
            f"the API answered {path} with a redirect ({status} {answer.reason}), and redirects are not followed: "
            "the token goes to the configured host only; check backend.hostname"
        )
    if status != 200:
        raise WorkspaceError(f"the API answered {status} {answer.reason} for {path}")
    try:
        document = parse_json(answer.body)
    except MalformedJson:
        raise WorkspaceError(f"the API answered {path} with something other than JSON") from None
    except JsonInputError as error:
        raise WorkspaceError(f"the API answered {path} with {error}") from None
    if not isinstance(document, dict) or "data" not in document:
        raise WorkspaceError(f"the API answered {path} without a JSON:API `data` member")
    return document

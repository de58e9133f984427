"""`render --from-terraform-cloud` (DESIGN.md contract 7): each pair stack's outputs, read from its
workspace's current state version through the HCP Terraform / Terraform Enterprise API as HashiCorp
documents it (API v2, JSON:API documents):

1. `GET /api/v2/organizations/:organization/workspaces/:name`: the workspace's id, and whether it has a
   state yet (`relationships.current-state-version.data` is null until the first apply);
2. `GET /api/v2/workspaces/:id/current-state-version-outputs`, page by page (`page[number]`,
   `page[size]`, `meta.pagination.next-page`): every output; sensitive values come back as null;
3. `GET /api/v2/state-version-outputs/:id` for each sensitive output the render needs: its value.

The requests, the token, retries and the bounds of each answer are `render.terraform_cloud_client`'s;
here: which workspaces, their pages (at most 100, each `next-page` greater than the page it is on),
and a few workspaces at a time, in threads. A workspace that can't be read is bad input naming it.

`TerraformCloudOutputs` is the outputs source (`render.outputs_reader.OutputsSource`): the result has
the shape the outputs file has (`{stack: {output: value}}`), so the render's checks and files are the
same whichever way the outputs came. No cdktf here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from render.outputs_reader import OutputsRead, StackOutputs
from render.selection import pair_stacks
from render.terraform_cloud_client import (
    DEFAULT_BOUNDS,
    ApiClient,
    NotFound,
    NotTried,
    ReadBounds,
    RequestCounter,
    WorkspaceError,
    api_client,
    api_token,
)
from stacks.config import DEFAULT_CLOUD_HOSTNAME, CloudBackend, Config
from stacks.errors import Problem, UserError

DEFAULT_WORKERS = 8
"""Workspaces read at once: HCP Terraform allows 30 requests per second per token."""
PAGE_SIZE = 100
"""The API's largest page."""
NEEDED_OUTPUTS = ("oidc_config", "oidc_client_secret", "cluster", "workforce")
"""The outputs the render reads (contract 4); a sensitive value is fetched only for these."""

RawOutputs = dict[str, StackOutputs]
Log = Callable[[str], None]


@dataclass(frozen=True)
class Workspace:
    """The workspace that holds one stack's state."""

    stack: str
    name: str


def read_workspace_outputs(
    backend: CloudBackend,
    stacks: Sequence[str],
    *,
    log: Log,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    workers: int = DEFAULT_WORKERS,
    sleep: Callable[[float], None] = time.sleep,
    bounds: ReadBounds = DEFAULT_BOUNDS,
) -> RawOutputs:
    """{stack: {output: value}} for each of `stacks` from its workspace `<workspace_prefix><stack>`; raise
    `UserError` naming every workspace that could not be read (a missing workspace, one without state,
    a refused token, a network error, an answer past `bounds`)."""
    env = os.environ if env is None else env
    hostname = backend.hostname or DEFAULT_CLOUD_HOSTNAME
    token = api_token(hostname, env, Path.home() if home is None else home)
    workspaces = [Workspace(stack, f"{backend.workspace_prefix}{stack}") for stack in stacks]
    counter = RequestCounter()
    started = time.perf_counter()
    results: RawOutputs = {}
    problems: dict[str, Problem] = {}
    not_read = 0
    with (
        api_client(hostname, token, env) as client,
        ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="terraform-cloud") as pool,
    ):
        api = ApiClient(client, counter, sleep, bounds)
        futures = {
            pool.submit(_read_workspace, api, backend.organization, workspace): workspace for workspace in workspaces
        }
        for future in as_completed(futures):
            workspace = futures[future]
            try:
                outputs = future.result()
            except NotTried:
                not_read += 1
                continue
            except WorkspaceError as error:
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
        raise UserError(source_name(backend), listed)
    return {w.stack: results[w.stack] for w in workspaces}


@dataclass(frozen=True)
class TerraformCloudOutputs:
    """`render --from-terraform-cloud`: the outputs of `stacks` from their workspaces of `backend`."""

    backend: CloudBackend
    stacks: Sequence[str]
    workers: int = DEFAULT_WORKERS

    @classmethod
    def of(
        cls, config: Config, stacks: Sequence[str] | None, *, workers: int = DEFAULT_WORKERS
    ) -> TerraformCloudOutputs:
        """The workspaces of the config's pair stacks (those of `stacks`; default: every one); `UserError`
        when the config's backend is local."""
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
        return cls(backend, list(stacks) if stacks is not None else pair_stacks(config), workers)

    @property
    def name(self) -> str:
        return source_name(self.backend)

    def read(self) -> OutputsRead:
        """Every workspace's outputs, or `UserError` naming each workspace that could not be read."""
        return OutputsRead(read_workspace_outputs(self.backend, self.stacks, log=_stderr, workers=self.workers))


def source_name(backend: CloudBackend) -> str:
    """The workspaces of `backend` as messages name them: "Terraform Cloud HOST/ORGANIZATION"."""
    return f"Terraform Cloud {backend.hostname or DEFAULT_CLOUD_HOSTNAME}/{backend.organization}"


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _read_workspace(api: ApiClient, organization: str, workspace: Workspace) -> dict[str, Any]:
    deadline = time.monotonic() + api.bounds.seconds
    try:
        document = api.get(
            f"organizations/{quote(organization, safe='')}/workspaces/{quote(workspace.name, safe='')}", deadline
        )
    except NotFound:
        raise WorkspaceError(
            f"not found in organization {organization} (404; or the token may not see it): apply the "
            f"terraform-cloud stack first, then deploy {workspace.stack}"
        ) from None
    data = document["data"]
    workspace_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(workspace_id, str) or not workspace_id:
        raise WorkspaceError("the API answered without the workspace's id")
    state = _related(data, "current-state-version")
    if state is None:
        raise WorkspaceError(f"has no state yet: deploy the stack first (cdktf deploy {workspace.stack})")
    items: list[Any] = []
    page: int | None = 1
    pages = 0
    while page is not None:
        if pages == api.bounds.max_pages:
            raise WorkspaceError(
                f"the API listed more than {api.bounds.max_pages} pages of outputs (of {PAGE_SIZE} each), more "
                "than any stack has: at most that many are read"
            )
        try:
            listing = api.get(
                f"workspaces/{quote(workspace_id, safe='')}/current-state-version-outputs",
                deadline,
                params={"page[number]": page, "page[size]": PAGE_SIZE},
            )
        except NotFound:
            raise WorkspaceError(
                f"has no state version outputs (404): deploy the stack first (cdktf deploy {workspace.stack})"
            ) from None
        pages += 1
        batch = listing["data"]
        if not isinstance(batch, list):
            raise WorkspaceError("the API listed the outputs as something other than a list")
        items += batch
        page = _next_page(listing, page)
    outputs: dict[str, Any] = {}
    for item in items:
        attributes = item.get("attributes") if isinstance(item, dict) else None
        if not isinstance(attributes, dict) or not isinstance(attributes.get("name"), str):
            raise WorkspaceError("the API listed an output without a name")
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
        raise WorkspaceError(
            f"the API's pagination went from page {page} to {shown}: a next page must come after the current one"
        )
    return following


def _sensitive_value(api: ApiClient, item: dict[str, Any], deadline: float) -> Any:
    output_id = item.get("id")
    if not isinstance(output_id, str) or not output_id:
        raise WorkspaceError("the API listed a sensitive output without its id")
    document = api.get(f"state-version-outputs/{quote(output_id, safe='')}", deadline)
    data = document["data"]
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict) or "value" not in attributes:
        raise WorkspaceError(f"the API answered state version output {output_id} without its value")
    return attributes["value"]


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"

"""`render --from-terraform-cloud` against a local HTTPS stand-in of the HCP Terraform API serving its
documented shapes: the same tree as `--outputs`, byte for byte; every failure is bad input naming the
workspace, nothing written; 429 retried after Retry-After; pagination. The token it uses:
test_terraform_cloud_client.py."""

from __future__ import annotations

import os
import re
import socket
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from render_support import FIXTURES
from terraform_cloud_api import (
    ORGANIZATION,
    OUTPUTS,
    TOKEN,
    FakeTerraformCloud,
    cli_env,
    cloud_config,
    fake_terraform_cloud,
    home_with_token,
    render_cli,
)
from time_guard import within
from werkzeug import Request, Response

from render.terraform_cloud import read_workspace_outputs
from render.terraform_cloud_client import ReadBounds
from stacks.config import CloudBackend
from stacks.errors import UserError

PAIRS = ["prod-okta-main", "data-gws"]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeTerraformCloud]:
    with fake_terraform_cloud(tmp_path_factory.mktemp("tfc")) as api:
        yield api


@pytest.fixture
def api(cloud: FakeTerraformCloud) -> FakeTerraformCloud:
    """The module's server with this test's workspaces only: the example's two pair stacks, deployed."""
    cloud.reset()
    cloud.workspaces.update({f"k8s-oidc-{stack}": outputs for stack, outputs in OUTPUTS.items()})
    return cloud


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mode & 0o777)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def backend(api: FakeTerraformCloud) -> CloudBackend:
    return CloudBackend(type="cloud", organization=ORGANIZATION, hostname=api.hostname)


def read(api: FakeTerraformCloud, home: Path, stacks: list[str] = PAIRS, **options: Any) -> dict[str, Any]:
    """`read_workspace_outputs` in this process, its log lines kept in `api.log`."""
    return read_workspace_outputs(
        backend(api), stacks, log=api.log.append, env={"SSL_CERT_FILE": str(api.ca_file)}, home=home, **options
    )


@pytest.fixture
def home(api: FakeTerraformCloud, tmp_path: Path) -> Path:
    return home_with_token(tmp_path, api.hostname)


# --- the same render as from the outputs file ----------------------------------------------------


def test_the_tree_is_byte_for_byte_the_one_from_the_outputs_file(api: FakeTerraformCloud, tmp_path: Path) -> None:
    config = cloud_config(tmp_path, api.hostname)
    env = cli_env(api, home_with_token(tmp_path, api.hostname))
    from_file = render_cli(config, tmp_path / "from-file", "--outputs", str(FIXTURES / "outputs.cdktf.json"), env=env)
    assert from_file.returncode == 0, from_file.stderr
    from_cloud = render_cli(config, tmp_path / "from-cloud", "--from-terraform-cloud", env=env)
    assert from_cloud.returncode == 0, from_cloud.stderr
    assert tree(tmp_path / "from-cloud") == tree(tmp_path / "from-file")
    assert len(tree(tmp_path / "from-cloud")) > 5
    # The secret came the documented way: null in the list, then by the output's id.
    secret_paths = [path for path in api.paths() if path.startswith("/api/v2/state-version-outputs/")]
    assert len(secret_paths) == 1
    assert {request.authorization for request in api.requests} == {f"Bearer {TOKEN}"}
    lines = from_cloud.stderr.splitlines()
    assert "read prod-okta-main from workspace k8s-oidc-prod-okta-main (2 outputs)" in lines
    assert "read data-gws from workspace k8s-oidc-data-gws (3 outputs)" in lines
    assert any(line.startswith(f"read 2 of 2 workspaces from {api.hostname}/acme in ") for line in lines)


def test_pages_of_outputs_are_all_read(api: FakeTerraformCloud, home: Path) -> None:
    api.page_size = 1
    assert read(api, home) == {stack: OUTPUTS[stack] for stack in PAIRS}
    listed = [r for r in api.requests if r.path.endswith("/current-state-version-outputs")]
    assert sorted((r.path, r.query["page[number]"]) for r in listed) == [
        ("/api/v2/workspaces/ws-0/current-state-version-outputs", "1"),
        ("/api/v2/workspaces/ws-0/current-state-version-outputs", "2"),
        ("/api/v2/workspaces/ws-1/current-state-version-outputs", "1"),
        ("/api/v2/workspaces/ws-1/current-state-version-outputs", "2"),
        ("/api/v2/workspaces/ws-1/current-state-version-outputs", "3"),
    ]
    assert {r.query["page[size]"] for r in listed} == {"100"}


def test_only_the_outputs_the_render_reads_are_kept(api: FakeTerraformCloud, home: Path) -> None:
    api.workspaces["k8s-oidc-data-gws"] = {**OUTPUTS["data-gws"], "debug_token": "x", "other_secret": "y"}
    api.sensitive = frozenset({"oidc_client_secret", "other_secret"})
    try:
        outputs = read(api, home)
    finally:
        api.sensitive = frozenset({"oidc_client_secret"})
    assert outputs["data-gws"] == OUTPUTS["data-gws"]
    # A sensitive output the render doesn't need is never fetched.
    assert len([path for path in api.paths() if path.startswith("/api/v2/state-version-outputs/")]) == 1


# --- retries ---------------------------------------------------------------------------------------


def test_429_is_retried_after_retry_after(api: FakeTerraformCloud, home: Path) -> None:
    path = f"/api/v2/organizations/{ORGANIZATION}/workspaces/k8s-oidc-data-gws"
    api.queued[path] = [(429, {"Retry-After": "2"}), (429, {"Retry-After": "7"})]
    waits: list[float] = []
    assert read(api, home, sleep=waits.append) == {stack: OUTPUTS[stack] for stack in PAIRS}
    assert waits == [2.0, 7.0]
    assert api.paths().count(path) == 3
    assert "2 retries" in api.log[-1]


def test_503_while_outputs_are_processed_is_retried_too(api: FakeTerraformCloud, home: Path) -> None:
    api.queued["/api/v2/workspaces/ws-0/current-state-version-outputs"] = [(503, {})]
    waits: list[float] = []
    assert read(api, home, sleep=waits.append)["prod-okta-main"] == OUTPUTS["prod-okta-main"]
    assert waits == [1.0]  # no Retry-After: back off one second


def test_a_wait_past_the_workspaces_time_is_not_waited_for(api: FakeTerraformCloud, home: Path) -> None:
    path = f"/api/v2/organizations/{ORGANIZATION}/workspaces/k8s-oidc-prod-okta-main"
    api.queued[path] = [(429, {"Retry-After": "86400"})] * 10
    waits: list[float] = []
    with pytest.raises(UserError) as raised:
        read(api, home, sleep=waits.append)
    assert waits == []
    (problem,) = raised.value.problems
    assert problem.path == "prod-okta-main"
    assert problem.message == (
        "workspace k8s-oidc-prod-okta-main: the API answered 429 and asked to wait 60 s, past the 60 s one "
        "workspace may take: try again later"
    )


def test_retries_are_bounded(api: FakeTerraformCloud, home: Path) -> None:
    path = f"/api/v2/organizations/{ORGANIZATION}/workspaces/k8s-oidc-prod-okta-main"
    api.queued[path] = [(429, {"Retry-After": "3"})] * 10
    waits: list[float] = []
    with pytest.raises(UserError) as raised:
        read(api, home, sleep=waits.append)
    assert waits == [3.0] * 5
    (problem,) = raised.value.problems
    assert "workspace k8s-oidc-prod-okta-main: still rate limited (429) after 5 retries" in problem.message


# --- bad input: exit 2 naming the workspace, nothing written ---------------------------------------


def failing_render(api: FakeTerraformCloud, tmp_path: Path, home: Path, **extra: str) -> str:
    out = tmp_path / "rendered"
    result = render_cli(
        cloud_config(tmp_path, api.hostname), out, "--from-terraform-cloud", env=cli_env(api, home, **extra)
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".rendered")]
    return result.stderr


def test_a_refused_token_is_bad_input(api: FakeTerraformCloud, tmp_path: Path) -> None:
    stderr = failing_render(api, tmp_path, home_with_token(tmp_path, api.hostname, token="revoked"))
    # Both workspaces accounted for: each refused, or one refused and the other not tried after it.
    assert f"error: Terraform Cloud {api.hostname}/acme: 2 problems:" in stderr
    refused = re.findall(r"- (\S+): workspace k8s-oidc-\1: the API refused the token \(401 Unauthorized\)", stderr)
    assert refused and set(refused) <= {"prod-okta-main", "data-gws"}
    assert len(refused) == 2 or "1 more workspace not read once the token was refused" in stderr


def test_a_missing_workspace_is_bad_input(api: FakeTerraformCloud, tmp_path: Path, home: Path) -> None:
    del api.workspaces["k8s-oidc-data-gws"]
    stderr = failing_render(api, tmp_path, home)
    assert (
        "data-gws: workspace k8s-oidc-data-gws: not found in organization acme (404; or the token may not see it): "
        "apply the terraform-cloud stack first, then deploy data-gws"
    ) in stderr
    assert "prod-okta-main" not in stderr.split("error:", 1)[1]


def test_a_workspace_without_state_is_bad_input(api: FakeTerraformCloud, tmp_path: Path, home: Path) -> None:
    api.workspaces["k8s-oidc-prod-okta-main"] = None
    stderr = failing_render(api, tmp_path, home)
    assert (
        "prod-okta-main: workspace k8s-oidc-prod-okta-main: has no state yet: deploy the stack first "
        "(cdktf deploy prod-okta-main)"
    ) in stderr


def test_a_forbidden_read_is_bad_input(api: FakeTerraformCloud, tmp_path: Path, home: Path) -> None:
    api.queued["/api/v2/workspaces/ws-1/current-state-version-outputs"] = [(403, {})]
    stderr = failing_render(api, tmp_path, home)
    assert "data-gws: workspace k8s-oidc-data-gws: the token may not read it (403 Forbidden)" in stderr


def test_a_network_error_is_bad_input(api: FakeTerraformCloud, tmp_path: Path, home: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    out = tmp_path / "rendered"
    nowhere = f"127.0.0.1:{port}"
    result = render_cli(
        cloud_config(tmp_path, nowhere),
        out,
        "--from-terraform-cloud",
        env=cli_env(api, home_with_token(tmp_path / "other", nowhere)),
    )
    assert result.returncode == 2, result.stderr
    assert "prod-okta-main: workspace k8s-oidc-prod-okta-main: cannot reach 127.0.0.1" in result.stderr
    assert not out.exists()


def test_a_server_certificate_outside_the_trusted_cas_is_refused(
    api: FakeTerraformCloud, tmp_path: Path, home: Path
) -> None:
    """SSL_CERT_FILE is what made the test CA trusted: without it, TLS verification fails."""
    env = {key: value for key, value in cli_env(api, home).items() if key != "SSL_CERT_FILE"}
    out = tmp_path / "rendered"
    result = render_cli(cloud_config(tmp_path, api.hostname), out, "--from-terraform-cloud", env=env)
    assert result.returncode == 2, result.stderr
    assert (
        "workspace k8s-oidc-prod-okta-main: TLS failure talking to 127.0.0.1: unable to get local issuer "
        "certificate: its certificate is not signed by a CA this machine trusts: set SSL_CERT_FILE to a PEM file "
        "holding your company's CA"
    ) in result.stderr
    assert not out.exists()
    assert api.requests == []


def test_a_local_backend_has_no_workspaces_to_read(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = render_cli(FIXTURES / "oidc.yaml", out, "--from-terraform-cloud", env=dict(os.environ))
    assert result.returncode == 2
    assert "backend: --from-terraform-cloud reads the workspaces of a cloud backend" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args", [[], ["--outputs", str(FIXTURES / "outputs.cdktf.json"), "--from-terraform-cloud"]], ids=["none", "both"]
)
def test_exactly_one_input_is_given(tmp_path: Path, args: list[str]) -> None:
    result = render_cli(FIXTURES / "oidc.yaml", tmp_path / "rendered", *args, env=dict(os.environ))
    assert result.returncode == 2
    assert "--outputs" in result.stderr and "--from-terraform-cloud" in result.stderr


def test_after_a_refused_token_the_workspaces_not_started_are_not_tried(
    api: FakeTerraformCloud, tmp_path: Path
) -> None:
    with pytest.raises(UserError) as raised:
        read(api, home_with_token(tmp_path, api.hostname, token="revoked"), workers=1)
    first, rest = raised.value.problems
    assert first.path == "prod-okta-main" and "401 Unauthorized" in first.message
    assert str(rest) == "1 more workspace not read once the token was refused"
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--outputs", str(FIXTURES / "outputs.cdktf.json"), "--workers", "4"],
            "--workers: applies to --from-terraform-cloud only",
        ),
        (["--from-terraform-cloud", "--workers", "0"], "--workers: expected 1 to 32 workspaces at once, got 0"),
    ],
)
def test_workers_are_checked(tmp_path: Path, args: list[str], expected: str) -> None:
    result = render_cli(FIXTURES / "oidc.yaml", tmp_path / "rendered", *args, env=dict(os.environ))
    assert result.returncode == 2
    assert expected in result.stderr


# --- what the API sends is bounded: a breach is bad input naming the workspace -----------------------

LISTING = "/api/v2/workspaces/ws-0/current-state-version-outputs"
WORKSPACE = f"/api/v2/organizations/{ORGANIZATION}/workspaces/k8s-oidc-prod-okta-main"
MIB = 1024 * 1024


def refusal(api: FakeTerraformCloud, home: Path, **options: Any) -> str:
    """The one problem of reading prod-okta-main's workspace, the test failing (not hanging) when no bound
    stops the read."""
    with pytest.raises(UserError) as raised:
        within(90, lambda: read(api, home, ["prod-okta-main"], **options))
    (problem,) = raised.value.problems
    assert problem.path == "prod-okta-main"
    assert problem.message.startswith("workspace k8s-oidc-prod-okta-main: ")
    return problem.message.removeprefix("workspace k8s-oidc-prod-okta-main: ")


def listing_requests(api: FakeTerraformCloud) -> list[str]:
    return [request.query["page[number]"] for request in api.requests if request.path == LISTING]


def test_a_redirect_is_not_followed(api: FakeTerraformCloud, tmp_path: Path, home: Path) -> None:
    """The token goes to the configured host only: a 3xx is bad input, and its target is never asked."""
    elsewhere = f"/api/v2/organizations/{ORGANIZATION}/workspaces/k8s-oidc-elsewhere"
    api.workspaces["k8s-oidc-elsewhere"] = OUTPUTS["prod-okta-main"]  # followed, the read would succeed
    api.hostile[WORKSPACE] = lambda request: Response(status=302, headers={"Location": elsewhere})
    stderr = failing_render(api, tmp_path, home)
    assert (
        f"prod-okta-main: workspace k8s-oidc-prod-okta-main: the API answered {WORKSPACE} with a redirect (302 Found), "
        "and redirects are not followed: the token goes to the configured host only; check backend.hostname"
    ) in stderr
    assert elsewhere not in api.paths()


@pytest.mark.parametrize(
    ("next_page", "shown"),
    [(lambda page: page, "1"), (lambda page: page - 1, "0"), (lambda page: "2", "'2'")],
    ids=["same", "backwards", "not-a-number"],
)
def test_pagination_must_move_forward(api: FakeTerraformCloud, home: Path, next_page: Any, shown: str) -> None:
    api.next_page_of = next_page
    assert refusal(api, home) == (
        f"the API's pagination went from page 1 to {shown}: a next page must come after the current one"
    )
    assert listing_requests(api) == ["1"]


def test_endless_pages_stop_at_the_bound(api: FakeTerraformCloud, home: Path) -> None:
    api.next_page_of = lambda page: page + 1
    assert refusal(api, home, bounds=ReadBounds(max_pages=3)) == (
        "the API listed more than 3 pages of outputs (of 100 each), more than any stack has: at most that many are read"
    )
    assert listing_requests(api) == ["1", "2", "3"]


def test_endless_pages_stop_at_100(api: FakeTerraformCloud, tmp_path: Path, home: Path) -> None:
    api.next_page_of = lambda page: page + 1
    stderr = failing_render(api, tmp_path, home)
    assert "prod-okta-main: workspace k8s-oidc-prod-okta-main: the API listed more than 100 pages of outputs" in stderr
    assert len(listing_requests(api)) == 100


def drip(request: Request) -> Response:
    def body() -> Iterator[bytes]:
        yield b'{"data": ['
        for _ in range(100):  # 20 s: ten times the bound, and then the test doesn't hang either way
            time.sleep(0.2)
            yield b" "

    return Response(body(), status=200, content_type="application/vnd.api+json")


def test_a_drip_fed_answer_ends_within_the_workspaces_time(api: FakeTerraformCloud, home: Path) -> None:
    api.hostile[LISTING] = drip
    started = time.monotonic()
    assert refusal(api, home, bounds=ReadBounds(seconds=2)) == (
        "no complete answer from 127.0.0.1 within the 2 s one workspace may take"
    )
    assert 2 <= time.monotonic() - started < 4


def test_the_workspaces_time_covers_all_its_requests(api: FakeTerraformCloud, home: Path) -> None:
    """Each answer quick, but pages without end: the 60 s (here 2 s) are for the whole workspace."""
    api.next_page_of = lambda page: page + 1

    def slowly(request: Request) -> Response:
        time.sleep(0.3)
        return api.answer(request)

    api.hostile[LISTING] = slowly
    started = time.monotonic()
    assert refusal(api, home, bounds=ReadBounds(seconds=2)).startswith("no complete answer from 127.0.0.1")
    assert 2 <= time.monotonic() - started < 4
    assert 4 <= len(listing_requests(api)) <= 8


def test_gigabytes_stop_at_16_mib(api: FakeTerraformCloud, home: Path) -> None:
    sent = [0]

    def flood(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            chunk = b"[" + b" " * (64 * 1024 - 1)
            while sent[0] < 3 * 1024 * MIB:  # 3 GiB, made as they are sent
                sent[0] += len(chunk)
                yield chunk

        return Response(body(), status=200, content_type="application/vnd.api+json")

    api.hostile[LISTING] = flood
    tracemalloc.start()
    try:
        message = refusal(api, home)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == f"the API answered {LISTING} with more than 16 MiB: at most 16 MiB of one answer is read"
    assert peak < 64 * MIB
    time.sleep(0.5)
    assert 16 * MIB < sent[0] < 64 * MIB


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested 100000 levels deep: at most 64 levels"),
        (b'{"data": {"id": ' + b"7" * 5_000 + b"}}", "a number with 5000 digits: at most 64 digits are read"),
    ],
    ids=["deep", "long-number"],
)
def test_hostile_json_in_an_api_answer(api: FakeTerraformCloud, home: Path, body: bytes, message: str) -> None:
    api.hostile[WORKSPACE] = lambda request: Response(body, status=200, content_type="application/vnd.api+json")
    assert refusal(api, home).startswith(f"the API answered {WORKSPACE} with {message}")


# --- the token Terraform uses for this host only ---------------------------------------------------------

"""`render --from-terraform-cloud` against a local HTTPS stand-in of the HCP Terraform API serving its
documented shapes: the same tree as `--outputs`, byte for byte; every failure is bad input naming the
workspace, nothing written; 429 retried after Retry-After; pagination; the token Terraform uses."""

from __future__ import annotations

import os
import re
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from render_support import FIXTURES, PROJECT_ROOT
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
from tool_support import skip_unless

from render.https import tls_context as ssl_context
from render.terraform_cloud import api_token, read_workspace_outputs
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


def test_a_long_retry_after_is_bounded_and_so_are_the_retries(api: FakeTerraformCloud, home: Path) -> None:
    path = f"/api/v2/organizations/{ORGANIZATION}/workspaces/k8s-oidc-prod-okta-main"
    api.queued[path] = [(429, {"Retry-After": "86400"})] * 10
    waits: list[float] = []
    with pytest.raises(UserError) as raised:
        read(api, home, sleep=waits.append)
    assert waits == [60.0] * 5
    (problem,) = raised.value.problems
    assert problem.path == "prod-okta-main"
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
    assert "CERTIFICATE_VERIFY_FAILED" in result.stderr
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


# --- the token Terraform uses ----------------------------------------------------------------------


def test_the_token_comes_from_tf_token_with_dots_and_hyphens_encoded(tmp_path: Path) -> None:
    env = {"TF_TOKEN_app_terraform_io": "from-env", "TF_TOKEN_tfe_my__corp_example": "corp"}
    assert api_token("app.terraform.io", env, tmp_path) == "from-env"
    assert api_token("tfe.my-corp.example", env, tmp_path) == "corp"
    assert api_token("TFE.My-Corp.Example", env, tmp_path) == "corp"


def test_the_environment_wins_over_the_credentials_file(tmp_path: Path) -> None:
    home = home_with_token(tmp_path, "app.terraform.io", token="from-file")
    assert api_token("app.terraform.io", {}, home) == "from-file"
    assert api_token("app.terraform.io", {"TF_TOKEN_app_terraform_io": "from-env"}, home) == "from-env"
    assert api_token("app.terraform.io", {"TF_TOKEN_other_example": "other"}, home) == "from-file"


def test_no_token_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        api_token("tfe.my-corp.example", {}, tmp_path)
    message = str(raised.value)
    assert "run `terraform login tfe.my-corp.example`" in message
    assert "set TF_TOKEN_tfe_my__corp_example" in message


def test_a_broken_credentials_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / ".terraform.d").mkdir()
    (tmp_path / ".terraform.d" / "credentials.tfrc.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError) as raised:
        api_token("app.terraform.io", {}, tmp_path)
    assert raised.value.source.endswith("credentials.tfrc.json")


def test_ssl_cert_file_adds_to_the_system_store(api: FakeTerraformCloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenSSL alone would trust SSL_CERT_FILE instead of the system's CAs; a company CA comes on top."""
    system = ssl.get_default_verify_paths().openssl_cafile
    skip_unless(bool(system) and Path(system).is_file(), "no system CA file to compare with")
    monkeypatch.setenv("SSL_CERT_FILE", str(api.ca_file))
    subjects = [dict(entry[0] for entry in cert["subject"]) for cert in ssl_context(os.environ).get_ca_certs()]
    assert len(subjects) > 10
    assert any("trustme" in subject.get("organizationName", "") for subject in subjects)


def test_after_a_refused_token_the_workspaces_not_started_are_not_tried(
    api: FakeTerraformCloud, tmp_path: Path
) -> None:
    with pytest.raises(UserError) as raised:
        read(api, home_with_token(tmp_path, api.hostname, token="revoked"), workers=1)
    first, rest = raised.value.problems
    assert first.path == "prod-okta-main" and "401 Unauthorized" in first.message
    assert str(rest) == "1 more workspace not read once the token was refused"
    assert len(api.requests) == 1


def test_reading_the_workspaces_imports_no_cdktf_jsii_or_provider_code() -> None:
    probe = (
        "import sys, render.terraform_cloud, render.selection;"
        "print([m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs')"
        " or (m.startswith('cdktf_') and '.' in m)])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


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

"""Bad render input: exit status 2, every problem named by stack and field, no traceback, and the
previous render left exactly as it was (nothing else in its folder either)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from render_support import FIXTURES, as_terraform_output, run_render, tree_snapshot, write_json

CONFIG = FIXTURES / "oidc.yaml"
EXAMPLE = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))
NOT_A_CERTIFICATE = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQgotLS0tLUVORCBQVUJMSUMgS0VZLS0tLS0K"
"""base64 of a PEM block that is a public key, not a certificate."""


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good render, to be copied as the folder a bad run must not touch."""
    out = tmp_path_factory.mktemp("previous") / "rendered"
    result = run_render(CONFIG, FIXTURES / "outputs.cdktf.json", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def workspace(tmp_path: Path, previous: Path) -> Path:
    shutil.copytree(previous, tmp_path / "rendered")
    return tmp_path


def refused(workspace: Path, outputs: Path, *extra: str) -> str:
    """Run the render into the workspace's previous render; assert it refused and changed nothing."""
    before = tree_snapshot(workspace)
    result = run_render(CONFIG, outputs, workspace / "rendered", *extra)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(workspace) == before
    # The config's own warnings (its GKE cluster is on the deprecated Identity Service) come before the error.
    return "".join(line for line in result.stderr.splitlines(keepends=True) if not line.startswith("warning: "))


def broken(mutate: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    outputs = copy.deepcopy(EXAMPLE)
    mutate(outputs)
    return outputs


def test_every_problem_of_the_outputs_at_once(workspace: Path) -> None:
    def mutate(outputs: dict[str, Any]) -> None:
        prod, data = outputs["prod-okta-main"], outputs["data-gws"]
        del prod["cluster"]["endpoint"]
        prod["oidc_config"]["issuer_url"] = "http://acme.okta.com/oauth2/aus1"
        prod["oidc_config"]["scopes"] = "openid profile"
        prod["oidc_config"]["client_id"] = 42
        prod["oidc_config"]["requires_client_secret"] = "no"
        prod["oidc_config"]["pkce_method"] = "plain"
        data["cluster"]["certificate_authority_data"] = "not base64!"
        data["cluster"]["type"] = "eks"
        data["cluster"]["endpoint"] = "ftp://34.82.10.20"
        del data["oidc_client_secret"]
        outputs["ghost-okta-main"] = {}

    stderr = refused(workspace, write_json(workspace / "outputs.json", broken(mutate)))
    # (key path, what the message says): the contract's own rules word by word; for a wrong type, the
    # value found (the wording of type errors is the config's error translation, stacks/config/messages.py).
    expected = [
        ("prod-okta-main.oidc_config.client_id", "42"),
        ("prod-okta-main.oidc_config.issuer_url", "must be an https:// URL"),
        ("prod-okta-main.oidc_config.scopes", "'openid profile'"),
        ("prod-okta-main.oidc_config.pkce_method", "'S256'"),
        ("prod-okta-main.oidc_config.requires_client_secret", "'no'"),
        ("prod-okta-main.cluster.endpoint", "required key is missing"),
        ("data-gws.oidc_client_secret", "required key is missing; the stack's IdP needs a client secret"),
        ("data-gws.cluster.endpoint", "must be an https:// URL"),
        ("data-gws.cluster.certificate_authority_data", "must be base64 of a PEM certificate"),
        ("data-gws.cluster.type", "is 'eks', but clusters.data in the config is 'gke'"),
        ("ghost-okta-main", "stack is not in the config"),
    ]
    lines = stderr.splitlines()
    for path, message in expected:
        (line,) = [line for line in lines if line.startswith(f"  - {path}: ")]
        assert message in line, line
    assert f"{len(expected)} problems:" in lines[0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(
            lambda outputs: outputs.pop("data-gws"),
            "data-gws: no outputs for this pair stack of the config: deploy it first, or render only the pair "
            "stacks that are deployed with --stacks 'GLOB' … (here: --stacks prod-okta-main)",
            id="pair-stack-without-outputs",
        ),
        pytest.param(
            lambda outputs: outputs["prod-okta-main"].pop("oidc_config"),
            "prod-okta-main.oidc_config: required key is missing",
            id="missing-output",
        ),
        pytest.param(
            lambda outputs: outputs["prod-okta-main"]["cluster"].update(certificate_authority_data=NOT_A_CERTIFICATE),
            "prod-okta-main.cluster.certificate_authority_data: must be base64 of a PEM certificate",
            id="pem-but-no-certificate",
        ),
        pytest.param(
            lambda outputs: outputs["prod-okta-main"]["oidc_config"].update(redirect_uris=[]),
            "prod-okta-main.oidc_config.redirect_uris: expected a non-empty list, got an empty list",
            id="no-redirect-uris",
        ),
        pytest.param(
            lambda outputs: outputs.update({"prod-okta-main": ["not", "outputs"]}),
            "prod-okta-main: must be an object of outputs, got a list",
            id="stack-not-an-object",
        ),
    ],
)
def test_one_bad_output(workspace: Path, mutate: Callable[[dict[str, Any]], None], message: str) -> None:
    stderr = refused(workspace, write_json(workspace / "outputs.json", broken(mutate)))
    assert stderr.startswith("error: ")
    assert message in stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "outputs.json: no such file", id="missing"),
        pytest.param('{"prod-okta-main": ', "malformed JSON: line 1, column 20", id="malformed"),
        pytest.param("[]", "must be a JSON object {stack: {output: value}}, got an empty list", id="not-an-object"),
        pytest.param(
            json.dumps(as_terraform_output(EXAMPLE["prod-okta-main"])),
            "looks like one stack's `terraform output -json`",
            id="one-terraform-output",
        ),
    ],
)
def test_unreadable_outputs_file(workspace: Path, content: str | None, message: str) -> None:
    outputs = workspace / "outputs.json"
    if content is not None:
        outputs.write_text(content, encoding="utf-8")
    assert message in refused(workspace, outputs)


def test_terraform_output_folder_problems(workspace: Path) -> None:
    folder = workspace / "terraform-output"
    folder.mkdir()
    write_json(folder / "prod-okta-main.json", {**as_terraform_output(EXAMPLE["prod-okta-main"]), "cluster": {"x": 1}})
    (folder / "data-gws.json").write_text("{", encoding="utf-8")
    stderr = refused(workspace, folder)
    assert 'prod-okta-main.cluster: expected {"value": …} as `terraform output -json` prints it' in stderr
    assert "data-gws: " in stderr and "data-gws.json: malformed JSON" in stderr
    assert "data-gws: no outputs" not in stderr  # its one problem is that its file is unreadable
    empty = workspace / "empty"
    empty.mkdir()
    assert "folder holds no <stack>.json files" in refused(workspace, empty)


def test_bad_client_configs(workspace: Path) -> None:
    outputs = FIXTURES / "outputs.cdktf.json"
    broken_file = workspace / "broken.json"
    broken_file.write_text("not json", encoding="utf-8")
    no_server = write_json(workspace / "no-server.json", {"kind": "ClientConfig", "spec": {"name": "x"}})
    stderr = refused(
        workspace,
        outputs,
        "--client-config",
        f"data={no_server}",
        "--client-config",
        f"prod={no_server}",
        "--client-config",
        f"nowhere={broken_file}",
    )
    assert f"--client-config data={no_server}.spec.server: required key is missing" in stderr
    assert f"--client-config data={no_server}.spec.certificateAuthorityData: required key is missing" in stderr
    assert f"--client-config prod={no_server}: cluster 'prod' is eks; ClientConfigs are GKE's" in stderr
    assert f"--client-config nowhere={broken_file}: unknown cluster; the config's clusters: prod, data" in stderr

    assert "malformed JSON" in refused(workspace, outputs, "--client-config", f"data={broken_file}")
    missing = workspace / "missing.json"
    assert f"{missing}: no such file" in refused(workspace, outputs, "--client-config", f"data={missing}")
    wrong_kind = write_json(workspace / "service.json", {"kind": "Service", "spec": {}})
    (kind_line,) = [
        line
        for line in refused(workspace, outputs, "--client-config", f"data={wrong_kind}").splitlines()
        if line.startswith(f"  - --client-config data={wrong_kind}.kind: ")
    ]
    assert "'ClientConfig'" in kind_line
    assert "expected CLUSTER=FILE" in refused(workspace, outputs, "--client-config", "data")


def test_out_folder_that_is_not_a_render(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree_snapshot(tmp_path)
    result = run_render(CONFIG, FIXTURES / "outputs.cdktf.json", precious)
    assert result.returncode == 2
    assert "was not written by the render step; refusing to replace it" in result.stderr
    assert tree_snapshot(tmp_path) == before

    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    assert "exists and is not a folder" in run_render(CONFIG, FIXTURES / "outputs.cdktf.json", a_file).stderr
    orphan = tmp_path / "no" / "such" / "parent"
    assert "its parent folder" in run_render(CONFIG, FIXTURES / "outputs.cdktf.json", orphan).stderr
    assert not (tmp_path / "no").exists()


# --- bounded reading: files that are not files, too big, too deep, too long a number ---------------


def test_an_outputs_folder_entry_that_is_not_a_regular_file_is_refused_at_once(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Beside the workspace: its snapshot reads every file in it.
    folder = tmp_path_factory.mktemp("terraform-output")
    os.mkfifo(folder / "prod-okta-main.json")  # read forever if opened and read: nobody writes
    (folder / "data-gws.json").symlink_to("/dev/zero")  # an endless stream of zero bytes
    started = time.monotonic()
    stderr = refused(workspace, folder)
    assert time.monotonic() - started < 30
    fifo, zero = folder / "prod-okta-main.json", folder / "data-gws.json"
    assert f"  - prod-okta-main: {fifo}: is a FIFO (named pipe), not a regular file\n" in stderr
    assert f"  - data-gws: {zero}: is a character device (through a symbolic link), not a regular file\n" in stderr


def test_an_outputs_file_over_16_mib_is_refused(workspace: Path) -> None:
    outputs = workspace / "outputs.json"
    with outputs.open("wb") as file:
        file.truncate(16 * 1024 * 1024 + 1)
    assert f"{outputs}: is larger than 16 MiB: at most 16 MiB of input is read\n" in refused(workspace, outputs)


HOSTILE_JSON = [
    pytest.param(
        "[" * 100_000 + "]" * 100_000,
        "JSON nested 100000 levels deep: at most 64 levels of objects and arrays are read",
        id="deep",
    ),
    pytest.param(
        '{"port": ' + "7" * 5_000 + "}", "a number with 5000 digits: at most 64 digits are read", id="long-number"
    ),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE_JSON)
def test_hostile_json_in_an_outputs_file(workspace: Path, text: str, message: str) -> None:
    outputs = workspace / "outputs.json"
    outputs.write_text(text, encoding="utf-8")
    stderr = refused(workspace, outputs)
    assert stderr.startswith(f"error: {outputs}: ")
    assert f"{outputs}: {message}" in stderr


@pytest.mark.parametrize(("text", "message"), HOSTILE_JSON)
def test_hostile_json_in_an_outputs_folder_file(workspace: Path, text: str, message: str) -> None:
    folder = workspace / "terraform-output"
    folder.mkdir()
    write_json(folder / "prod-okta-main.json", as_terraform_output(EXAMPLE["prod-okta-main"]))
    (folder / "data-gws.json").write_text(text, encoding="utf-8")
    assert f"error: {folder}: data-gws: {folder / 'data-gws.json'}: {message}" in refused(workspace, folder)


@pytest.mark.parametrize(("text", "message"), HOSTILE_JSON)
def test_hostile_json_in_a_client_config(workspace: Path, text: str, message: str) -> None:
    client_config = workspace / "clientconfig.json"
    client_config.write_text(text, encoding="utf-8")
    stderr = refused(workspace, FIXTURES / "outputs.cdktf.json", "--client-config", f"data={client_config}")
    assert f"--client-config data={client_config}: {client_config}: {message}" in stderr

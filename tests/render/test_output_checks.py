"""Outputs are checked again at render time (DESIGN.md contract 5): they come from state anyone with
workspace access can change. A prefix that could make a `system:` subject (`system:…`, `sys`, empty), an
endpoint or issuer that is not a plain https URL, certificate data holding more than certificates, a
control or bidirectional-override character in any string of any output (the client secret and a GKE
ClientConfig's server and CA too), or a string over 4 KiB (certificate data: 64 KiB) is bad input: exit
status 2, every problem named by stack and field, nothing written — the previous render is left exactly
as it was."""

from __future__ import annotations

import base64
import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from render_support import (
    GOOGLE_SCOPES,
    OKTA_SCOPES,
    cluster_output,
    oidc_config,
    run_render,
    tree_snapshot,
    write_json,
)

from render.inputs import read_inputs
from render.outputs_reader import OutputsFiles
from stacks.config import load_config
from stacks.errors import UserError

CONFIG = """\
version: 1
google_workforce_pool: {organization_id: "123456789012", pool_id: acme-pool}
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
  gws: {type: google_workspace, prefix: "gws:", client_id: 1234-abc.apps.googleusercontent.com}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [okta-main]}
  data: {type: gke, project: acme-data, location: us-west1, cluster_name: data, identity_providers: [gws]}
  wf:
    type: gke
    auth: workforce_identity
    project: acme-wf
    location: us-west1
    cluster_name: wf
    identity_providers: [okta-main]
"""
CA_DATA = (
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURW"
    "UVFERXdwcmRXSmwKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
)
OUTPUTS: dict[str, Any] = {
    "prod-okta-main": {
        "oidc_config": oidc_config(
            client_id="0oa-prod", issuer_url="https://acme.okta.com/oauth2/aus1", prefix="okta:", scopes=OKTA_SCOPES
        ),
        "cluster": cluster_output(
            name="Prod", type="eks", location="us-west-2", endpoint="https://prod.example", ca_data=CA_DATA
        ),
    },
    "data-gws": {
        "oidc_config": oidc_config(
            client_id="1234-abc.apps.googleusercontent.com",
            issuer_url="https://accounts.google.com",
            prefix="gws:",
            scopes=GOOGLE_SCOPES,
            requires_client_secret=True,
            groups_claim=None,
        ),
        "oidc_client_secret": "GOCSPX-s3cret",
        "cluster": cluster_output(
            name="data", type="gke", location="us-west1", endpoint="https://data.example", ca_data=CA_DATA
        ),
    },
    "wf-okta-main": {
        "cluster": cluster_output(
            name="wf", type="gke", location="us-west1", endpoint="https://wf.example", ca_data=CA_DATA
        ),
        "workforce": {
            "pool": "acme-pool",
            "provider": "okta-main",
            "project": "acme-wf",
            "location": "us-west1",
            "cluster_name": "wf",
        },
    },
}
CLIENT_CONFIG = {
    "kind": "ClientConfig",
    "spec": {"server": "https://203.0.113.7:443", "certificateAuthorityData": CA_DATA},
}

Loc = tuple[str | int, ...]


def string_leaves(value: Any, loc: Loc = ()) -> Iterator[Loc]:
    """The location of every string in `value`, found by walking it (not from the contract's models)."""
    if isinstance(value, str):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_leaves(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_leaves(item, (*loc, index))


OUTPUT_STRINGS = list(string_leaves(OUTPUTS))
CLIENT_CONFIG_STRINGS = [loc for loc in string_leaves(CLIENT_CONFIG) if loc[0] == "spec"]
CLOSED_CHOICES = {"type", "pkce_method"}
"""Fields refused as not one of their values, before any character could matter."""

PAYLOADS: dict[str, tuple[str, str]] = {
    "ESC": ("\x1b[2J\x1b[31m", "holds the control character U+001B"),
    "OSC": ("\x1b]8;;https://evil.example\x07here\x1b]8;;\x07", "holds the control character U+001B"),
    "CR": ("\rEVERYTHING IS FINE", "holds the control character U+000D"),
    "U+202E": ("\u202etxt.exe", "holds U+202E RIGHT-TO-LEFT OVERRIDE"),
}
"""Appended to a good value: (payload, what the refusal says)."""
LONG = 5 * 1000
"""A 5 KB value (certificate data: past its own 64 KiB)."""


def path_of(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def changed(data: Any, loc: Loc, change: Callable[[str], str]) -> Any:
    data = copy.deepcopy(data)
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = change(target[loc[-1]])
    return data


def lengthen(loc: Loc) -> Callable[[str], str]:
    size = 66 * 1024 if loc[-1] in {"certificate_authority_data", "certificateAuthorityData"} else LONG
    return lambda value: value + "A" * (size - len(value))


def problems_of(tmp_path: Path, outputs: Any, client_config: Any = None) -> dict[str, str]:
    """{key path: message} of the render's refusal (in process: read_inputs is what `render` calls first)."""
    config_path = tmp_path / "oidc.yaml"
    config_path.write_text(CONFIG, encoding="utf-8")
    client_configs = (
        {} if client_config is None else {"data": write_json(tmp_path / "clientconfig.json", client_config)}
    )
    with pytest.raises(UserError) as caught:
        read_inputs(
            load_config(config_path), OutputsFiles(write_json(tmp_path / "outputs.json", outputs)), client_configs
        )
    return {problem.path: problem.message for problem in caught.value.problems}


def test_the_good_outputs_pass(tmp_path: Path) -> None:
    config_path = tmp_path / "oidc.yaml"
    config_path.write_text(CONFIG, encoding="utf-8")
    inputs = read_inputs(
        load_config(config_path),
        OutputsFiles(write_json(tmp_path / "outputs.json", OUTPUTS)),
        {"data": write_json(tmp_path / "clientconfig.json", CLIENT_CONFIG)},
    )
    assert [pair.stack for pair in inputs.pairs] == ["prod-okta-main", "data-gws", "wf-okta-main"]
    # The walk found every string: 18 of prod (4 scopes, 2 redirect URIs), 17 of data (its secret, no groups
    # claim), 10 of wf; the ClientConfig's server and CA.
    assert (len(OUTPUT_STRINGS), len(CLIENT_CONFIG_STRINGS)) == (45, 2)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("loc", OUTPUT_STRINGS, ids=path_of)
def test_unsafe_characters_in_any_output_string(tmp_path: Path, loc: Loc, payload: str) -> None:
    text, message = PAYLOADS[payload]
    problems = problems_of(tmp_path, changed(OUTPUTS, loc, lambda value: value + text))
    assert list(problems) == [path_of(loc)]
    if loc[-1] not in CLOSED_CHOICES:
        assert problems[path_of(loc)].startswith(message)


@pytest.mark.parametrize("loc", OUTPUT_STRINGS, ids=path_of)
def test_long_values_in_any_output_string(tmp_path: Path, loc: Loc) -> None:
    problems = problems_of(tmp_path, changed(OUTPUTS, loc, lengthen(loc)))
    assert list(problems) == [path_of(loc)]
    if loc[-1] not in CLOSED_CHOICES:
        assert " bytes long " in problems[path_of(loc)]


@pytest.mark.parametrize("payload", [*PAYLOADS, "5 KB"])
@pytest.mark.parametrize("loc", CLIENT_CONFIG_STRINGS, ids=path_of)
def test_client_config_values_are_checked_like_outputs(tmp_path: Path, loc: Loc, payload: str) -> None:
    change = lengthen(loc) if payload == "5 KB" else (lambda value: value + PAYLOADS[payload][0])
    problems = problems_of(tmp_path, OUTPUTS, changed(CLIENT_CONFIG, loc, change))
    ((path, message),) = problems.items()
    assert path == f"--client-config data={tmp_path / 'clientconfig.json'}.{path_of(loc)}"
    assert message.startswith(PAYLOADS[payload][1]) if payload in PAYLOADS else " bytes long " in message


RESERVED_PREFIXES = {
    "system:": "'system:' must not start with 'system:'",
    "sys": "'sys' must not be the start of 'system:'",
    "": "'' must not be empty",
}
"""Prefixes that could make a `system:` subject (`sys` + group `tem:masters`), with how each refusal starts."""


@pytest.mark.parametrize("prefix", RESERVED_PREFIXES)
@pytest.mark.parametrize("field", ["username_prefix", "groups_prefix"])
@pytest.mark.parametrize("stack", ["prod-okta-main", "data-gws"])
def test_a_prefix_that_can_reach_system_is_refused(tmp_path: Path, stack: str, field: str, prefix: str) -> None:
    problems = problems_of(tmp_path, changed(OUTPUTS, (stack, "oidc_config", field), lambda _: prefix))
    assert list(problems) == [f"{stack}.oidc_config.{field}"]
    assert problems[f"{stack}.oidc_config.{field}"].startswith(RESERVED_PREFIXES[prefix])


def test_a_hostile_stack_name_is_not_printed_raw(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, {**OUTPUTS, "evil\x1b]0;owned\x07": {}})
    assert problems == {
        "'evil\\x1b]0;owned\\x07'": "stack is not in the config "
        f"{tmp_path / 'oidc.yaml'} (its pair stacks: prod-okta-main, data-gws, wf-okta-main)"
    }


# --- through the CLI: exit 2, every problem at once, the previous render untouched -----------------


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("previous")
    (folder / "oidc.yaml").write_text(CONFIG, encoding="utf-8")
    result = run_render(folder / "oidc.yaml", write_json(folder / "outputs.json", OUTPUTS), folder / "rendered")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def workspace(tmp_path: Path, previous: Path) -> Path:
    shutil.copytree(previous, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.mark.parametrize("payload", [*PAYLOADS, "5 KB", *RESERVED_PREFIXES])
def test_every_hostile_field_is_named_and_nothing_is_written(workspace: Path, payload: str) -> None:
    outputs, client_config = OUTPUTS, CLIENT_CONFIG
    if payload in RESERVED_PREFIXES:
        locs = [loc for loc in OUTPUT_STRINGS if loc[-1] in {"username_prefix", "groups_prefix"}]
        for loc in locs:
            outputs = changed(outputs, loc, lambda _: payload)
        client_locs: list[Loc] = []
    else:
        locs = OUTPUT_STRINGS
        client_locs = CLIENT_CONFIG_STRINGS
        for loc in locs:
            outputs = changed(outputs, loc, lengthen(loc) if payload == "5 KB" else lambda v: v + PAYLOADS[payload][0])
        for loc in client_locs:
            client_config = changed(
                client_config, loc, lengthen(loc) if payload == "5 KB" else lambda v: v + PAYLOADS[payload][0]
            )
    client_config_file = write_json(workspace / "clientconfig.json", client_config)
    write_json(workspace / "outputs.json", outputs)
    before = tree_snapshot(workspace)

    result = run_render(
        workspace / "oidc.yaml",
        workspace / "outputs.json",
        workspace / "rendered",
        "--client-config",
        f"data={client_config_file}",
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(workspace) == before
    # The config's own warnings (the GKE Identity Service deprecation) come first.
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    named = {line.removeprefix("  - ").split(": ", 1)[0] for line in lines[1:]}
    expected = {path_of(loc) for loc in locs} | {
        f"--client-config data={client_config_file}.{path_of(loc)}" for loc in client_locs
    }
    assert named == expected
    assert lines[0].endswith(f"{len(expected)} problems:")
    # The payloads are shown escaped, never raw: stderr goes to the same terminal.
    assert not any(character in result.stderr for character in "\x1b\r\x07\u202e")


def test_urls_and_certificate_data_that_break_the_security_rules_are_named_and_nothing_is_written(
    workspace: Path,
) -> None:
    """`https://<eks-host>@127.0.0.1` reads like the EKS host, but kubectl would send tokens to 127.0.0.1;
    a private key or a secret beside a certificate would land in every engineer's kubeconfig."""
    ca_pem = base64.b64decode(CA_DATA).decode()
    with_key = ca_pem + "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n"
    with_secret = ca_pem + "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n"
    outputs = changed(OUTPUTS, ("prod-okta-main", "cluster", "endpoint"), lambda _: "https://prod.example@127.0.0.1")
    outputs = changed(outputs, ("prod-okta-main", "oidc_config", "issuer_url"), lambda url: url + "#x")
    outputs = changed(
        outputs,
        ("data-gws", "cluster", "certificate_authority_data"),
        lambda _: base64.b64encode(with_key.encode()).decode(),
    )
    client_config = changed(CLIENT_CONFIG, ("spec", "server"), lambda _: "https://203.0.113.7:443/?x=1")
    client_config = changed(
        client_config, ("spec", "certificateAuthorityData"), lambda _: base64.b64encode(with_secret.encode()).decode()
    )
    client_config_file = write_json(workspace / "clientconfig.json", client_config)
    write_json(workspace / "outputs.json", outputs)
    before = tree_snapshot(workspace)

    result = run_render(
        workspace / "oidc.yaml",
        workspace / "outputs.json",
        workspace / "rendered",
        "--client-config",
        f"data={client_config_file}",
    )
    assert result.returncode == 2, result.stderr
    assert tree_snapshot(workspace) == before
    client = f"--client-config data={client_config_file}"
    for named in (
        "prod-okta-main.cluster.endpoint: must be an https:// URL with a host, no whitespace and only valid "
        "%-escapes, and no user name, query or fragment: 'https://prod.example@127.0.0.1' must hold no user name "
        "or password before the host ('…@'): clients would connect to '127.0.0.1', the part after the '@'",
        "prod-okta-main.oidc_config.issuer_url: must be an https:// URL with a host",
        "data-gws.cluster.certificate_authority_data: must be base64 of a PEM certificate (-----BEGIN "
        "CERTIFICATE-----…), as kubeconfig's certificate-authority-data takes it, and of nothing else: it decodes "
        "to text that PEM block 2 is a PRIVATE KEY, not a CERTIFICATE",
        f"{client}.spec.server: must be an https:// URL with a host",
        f"{client}.spec.certificateAuthorityData: must be base64 of a PEM certificate (-----BEGIN CERTIFICATE-----…), "
        "as kubeconfig's certificate-authority-data takes it, and of nothing else: it decodes to text that holds 1 "
        "line of text outside its PEM blocks",
    ):
        assert named in result.stderr
    assert "wJalrXUtnFEMI" not in result.stderr

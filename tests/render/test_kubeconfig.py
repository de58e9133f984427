"""render/kubeconfig.py: the exec entry of contract 5, and the probe the setup scripts read a kubeconfig's
entries with, run by the real kubectl."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from render_support import OKTA_SCOPES, kubectl, oidc_config

from render.kubeconfig import KUBELOGIN_COMMAND, KUBELOGIN_INSTALL_HINT, OWNERSHIP_PROBE, exec_args, go_quoted
from render.pair_outputs import OidcLogin

ODD_NAME = 'gke_a"b\\c\td\u00a0é\U0001f600\u202e x$(y)\u200b'
"""A user name with everything Go's %q escapes or keeps (YAML allows no other control characters)."""
CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()


def probe(kubeconfig: dict[str, object], tmp_path: Path) -> list[str]:
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(kubeconfig, ensure_ascii=False), encoding="utf-8")
    env = {"KUBECONFIG": str(path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = kubectl(
        "--context=k8s-oidc-no-context",
        "config",
        "view",
        "--raw",
        "-o",
        f"go-template={OWNERSHIP_PROBE}",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_exec_entry_runs_kubelogins_own_binary_and_says_how_to_install_it() -> None:
    assert KUBELOGIN_COMMAND == "kubectl-oidc_login"
    for way in (
        "brew install kubelogin",
        "kubectl krew install oidc-login",
        "https://github.com/int128/kubelogin/releases",
    ):
        assert way in KUBELOGIN_INSTALL_HINT


def test_the_probe_prints_every_entry_with_every_value_quoted(tmp_path: Path) -> None:
    kubeconfig = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "prod", "cluster": {"server": "https://own.invalid"}}],
        "users": [
            {"name": "prod", "user": {"token": "own"}},
            {
                "name": "old",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1",
                        "command": "kubectl",
                        "args": ["oidc-login", "get-token", "--oidc-issuer-url=https://x"],
                    }
                },
            },
            {
                "name": ODD_NAME,
                "user": {
                    "exec": {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "gke-gcloud-auth-plugin"}
                },
            },
        ],
        "contexts": [
            {"name": "prod", "context": {"cluster": "prod", "user": "prod", "namespace": "team-a"}},
            {"name": ODD_NAME, "context": {"cluster": "x", "user": ODD_NAME}},
        ],
    }
    # kubectl lists each section sorted by name.
    assert probe(kubeconfig, tmp_path) == [
        'cluster\t"prod"\t',
        f'user\t{go_quoted(ODD_NAME)}\t"gke-gcloud-auth-plugin"',
        'user\t"old"\t"kubectl"\t"oidc-login"\t"get-token"',
        'user\t"prod"\t',
        f"context\t{go_quoted(ODD_NAME)}\t{go_quoted(ODD_NAME)}\t",
        'context\t"prod"\t"prod"\t' + b"team-a".hex(),
    ]


def test_the_probe_of_an_empty_kubeconfig_prints_nothing(tmp_path: Path) -> None:
    assert probe({"apiVersion": "v1", "kind": "Config"}, tmp_path) == []


@pytest.mark.parametrize("name", ["prod", "beta-okta-main", "a1-b2"])
def test_config_key_names_are_quoted_as_plain_double_quotes(name: str) -> None:
    """What the setup script relies on for its own context names."""
    assert go_quoted(name) == f'"{name}"'


FORGED_LINE = 'user\t"prod"\t"kubectl-oidc_login"'
"""What the setup script counts as its own user entry `prod`: a value that could print this as a line of
the probe, or as the end of one, would make a foreign `prod` look like the script's."""
HOSTILE_VALUES = [
    f"x\n{FORGED_LINE}",
    f"x\n{FORGED_LINE}\n",
    f'"\t{FORGED_LINE}',
    "team \"a\"\t'b' \\c\r\nd\u2028e",
    " ",
]
"""Namespaces, names and arguments holding newlines, tabs, quotes and line separators."""


def test_no_value_can_pass_for_another_line_or_field(tmp_path: Path) -> None:
    """Every hostile value in every place the probe prints one: exactly a line per entry, each field a
    whole Go-quoted string (no tab, newline or bare quote inside) or the namespace's hex, which decodes
    back to the namespace byte for byte."""
    kubeconfig = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": value, "cluster": {"server": "https://own.invalid"}} for value in HOSTILE_VALUES],
        "users": [
            {
                "name": f"user-{index}",
                "user": {
                    "exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": value, "args": [value, value]}
                },
            }
            for index, value in enumerate(HOSTILE_VALUES)
        ],
        "contexts": [
            {"name": f"context-{index}", "context": {"cluster": "c", "user": value, "namespace": value}}
            for index, value in enumerate(HOSTILE_VALUES)
        ],
    }
    lines = probe(kubeconfig, tmp_path)
    assert len(lines) == 3 * len(HOSTILE_VALUES)
    assert FORGED_LINE not in lines
    quoted = r'"(?:[^"\\\t\n]|\\.)*"'
    by_kind: dict[str, list[list[str]]] = {"cluster": [], "user": [], "context": []}
    for line in lines:
        kind, *fields = line.split("\t")
        by_kind[kind].append(fields)
    assert sorted(fields[0] for fields in by_kind["cluster"]) == sorted(go_quoted(value) for value in HOSTILE_VALUES)
    for fields in by_kind["cluster"]:
        assert fields[1:] == [""]
    for fields in by_kind["user"]:
        index = int(json.loads(fields[0]).removeprefix("user-"))
        assert fields[1:] == [go_quoted(HOSTILE_VALUES[index])] * 3
    for fields in by_kind["context"]:
        index = int(json.loads(fields[0]).removeprefix("context-"))
        user, namespace = fields[1:]
        assert user == go_quoted(HOSTILE_VALUES[index])
        assert re.fullmatch("(?:[0-9a-f]{2})+", namespace)
        assert bytes.fromhex(namespace).decode() == HOSTILE_VALUES[index]
    for fields in (fields for of_kind in by_kind.values() for fields in of_kind):
        assert re.fullmatch(quoted, fields[0])


def test_kubelogin_asks_for_openid_itself_so_it_is_no_extra_scope() -> None:
    """Contract 5, round 3: `--oidc-extra-scope` for each scope but `openid` (kubelogin always requests
    it; passed again, the IdP is asked for it twice)."""
    oidc = OidcLogin.model_validate(
        {
            **oidc_config(client_id="client", issuer_url="https://issuer.example", prefix="p:", scopes=OKTA_SCOPES),
            "client_secret": None,
        }
    )
    assert "openid" in oidc.scopes
    assert exec_args(oidc) == [
        "get-token",
        "--oidc-issuer-url=https://issuer.example",
        "--oidc-client-id=client",
        "--oidc-extra-scope=profile",
        "--oidc-extra-scope=email",
        "--oidc-extra-scope=groups",
        "--oidc-pkce-method=S256",
    ]


def test_the_issuers_private_ca_goes_to_kubelogin_before_the_pkce_method() -> None:
    """Contract 5, round 3: `--certificate-authority-data=<the IdP CA>` where the stack's `oidc_config` has one
    (kubelogin then trusts that CA for the IdP), nothing where it hasn't."""
    data = base64.b64encode(CA_PEM).decode()
    fields = {"client_id": "kubernetes", "issuer_url": "https://sso.example", "prefix": "sso:", "scopes": ["openid"]}
    private = OidcLogin.model_validate(
        {**oidc_config(**fields, certificate_authority_data=data), "client_secret": None}
    )
    assert exec_args(private) == [
        "get-token",
        "--oidc-issuer-url=https://sso.example",
        "--oidc-client-id=kubernetes",
        f"--certificate-authority-data={data}",
        "--oidc-pkce-method=S256",
    ]
    public = OidcLogin.model_validate({**oidc_config(**fields), "client_secret": None})
    assert not any(arg.startswith("--certificate-authority") for arg in exec_args(public))

"""render/kubeconfig.py: the exec entry of contract 5, and the probe the setup scripts read a kubeconfig's
entries with, run by the real kubectl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_support import kubectl

from render.kubeconfig import KUBELOGIN_COMMAND, KUBELOGIN_INSTALL_HINT, OWNERSHIP_PROBE, go_quoted

ODD_NAME = 'gke_a"b\\c\td\u00a0é\U0001f600\u202e x$(y)\u200b'
"""A user name with everything Go's %q escapes or keeps (YAML allows no other control characters)."""


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
        'context\t"prod"\t"prod"\tteam-a',
    ]


def test_the_probe_of_an_empty_kubeconfig_prints_nothing(tmp_path: Path) -> None:
    assert probe({"apiVersion": "v1", "kind": "Config"}, tmp_path) == []


@pytest.mark.parametrize("name", ["prod", "beta-okta-main", "a1-b2"])
def test_config_key_names_are_quoted_as_plain_double_quotes(name: str) -> None:
    """What the setup script relies on for its own context names."""
    assert go_quoted(name) == f'"{name}"'

"""From a file to a `Config` (`stacks.config.loader`, contract 3): every rule has an input that breaks it,
reported at its key path."""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from config_support import DELETE, EXAMPLE_CONFIG, MINIMAL, load, mutated, problems_of
from time_guard import within

from stacks.config import StackKind, load_config, parse_config
from stacks.config.clusters.gke import IDENTITY_SERVICE_DEPRECATION
from stacks.errors import UserError
from stacks.input_files import MAX_INPUT_BYTES


def test_minimal_config_loads_with_defaults() -> None:
    config = load(MINIMAL)
    assert config.backend.type == "local"
    assert config.defaults.redirect_ports == [8000, 18000]
    assert config.prefix("okta-main") == "okta-main:"
    assert config.redirect_uris == ("http://localhost:8000", "http://localhost:18000")
    assert [(s.name, s.kind) for s in config.stacks()] == [
        ("prod-okta-main", StackKind.PAIR),
        ("data-gws", StackKind.PAIR),
        ("data-jc", StackKind.PAIR),
        ("demo-cluster", StackKind.CLUSTER),
        ("demo-entra", StackKind.PAIR),
    ]


def test_a_gke_region_with_a_two_digit_number_is_valid() -> None:
    document = mutated("clusters.data.location", "europe-west10")
    assert load(document).clusters["data"].location == "europe-west10"


@pytest.mark.parametrize(
    ("path", "value", "where", "expected"),
    [
        (
            "clusters.data.identity_providers",
            [],
            "clusters.data.identity_providers",
            "must hold at least 1 item, got 0",
        ),
        (
            "clusters.prod.create",
            {
                "kubernetes_version": "1.33",
                "availability_zones": ["us-west-2a", "us-west-2b"],
                "public_access_cidrs": ["203.0.113.0/24"],
            },
            "clusters.prod",
            ("give exactly one of `cluster_name` (an existing cluster) or `create` (make a new one)"),
        ),
        (
            "clusters.prod.cluster_name",
            DELETE,
            "clusters.prod",
            ("give exactly one of `cluster_name` (an existing cluster) or `create` (make a new one)"),
        ),
        (
            "clusters.demo.create.public_access_cidrs",
            DELETE,
            "clusters.demo.create.public_access_cidrs",
            "required key is missing",
        ),
        (
            "clusters.demo.create.public_access_cidrs",
            ["0.0.0.0/0"],
            "clusters.demo.create.public_access_cidrs",
            (
                "must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole "
                "internet; list your egress ranges instead"
            ),
        ),
        (
            "clusters.demo.create.kubernetes_version",
            1.3,
            "clusters.demo.create.kubernetes_version",
            (
                "expected text, got the number 1.3 (YAML read the unquoted value as the "
                'number 1.3): write it in quotes exactly as you mean it, e.g. "1.30" rather '
                "than 1.30, which YAML makes 1.3"
            ),
        ),
        (
            "clusters.demo.create.availability_zones",
            ["eu-west-1a", "eu-west-1b"],
            "clusters.demo.create.availability_zones",
            ("availability zones eu-west-1a, eu-west-1b are not in region us-west-2; use zones such as us-west-2a"),
        ),
        (
            "clusters.data.public_access_cidrs",
            ["0.0.0.0/0"],
            "clusters.data.public_access_cidrs",
            "must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole internet; list your egress "
            "ranges instead",
        ),
        (
            "clusters.data.public_access_cidrs",
            ["10.0.0.1/8"],
            "clusters.data.public_access_cidrs",
            "entry '10.0.0.1/8' is not an IPv4 CIDR (10.0.0.1/8 has host bits set); e.g. '203.0.113.0/24'",
        ),
        (
            "clusters.data.public_access_cidrs",
            [],
            "clusters.data.public_access_cidrs",
            "must list who may reach the API endpoint, e.g. ('203.0.113.0/24',) for your office or VPN egress range",
        ),
        (
            "identity_providers.jc.refresh_tokens",
            "yes",
            "identity_providers.jc.refresh_tokens",
            "expected true or false, got the text 'yes'",
        ),
        (
            "identity_providers.gws.refresh_tokens",
            True,
            "identity_providers.gws.refresh_tokens",
            "is not available for Google Workspace: Google issues refresh tokens only to sign-ins that ask for "
            "access_type=offline, which kubelogin does not send; leave it false (engineers sign in again in the "
            "browser when the ID token expires, after an hour)",
        ),
        (
            "identity_providers.entra.device_code",
            True,
            "identity_providers.entra.device_code",
            'is not available for Entra ID: its device code flow needs the app\'s "Allow public client flows" '
            "(fallback_public_client_enabled), which also lets anyone holding a password sign in with the "
            "password grant (ROPC), bypassing the browser and with it MFA and Conditional Access prompts; leave "
            "it false (engineers on remote shells forward kubelogin's ports over SSH)",
        ),
        (
            "identity_providers.gws.device_code",
            True,
            "identity_providers.gws.device_code",
            "is not available for Google Workspace: Google's device flow takes a \"TVs and Limited Input "
            'devices" OAuth client, not the Desktop-app client kubelogin signs in with, and only a few scopes; '
            "leave it false (engineers on remote shells forward kubelogin's ports over SSH)",
        ),
        (
            "identity_providers.jc.device_code",
            True,
            "identity_providers.jc.device_code",
            "is not available for JumpCloud: its OIDC apps offer the authorization code and refresh token "
            "grants only, no device authorization grant; leave it false (engineers on remote shells forward "
            "kubelogin's ports over SSH)",
        ),
        (
            "identity_providers.okta-main.device_code",
            "yes please",
            "identity_providers.okta-main.device_code",
            "expected true or false, got the text 'yes please'",
        ),
        (
            "identity_providers.jc.scopes",
            ["openid", "offline_access"],
            "identity_providers.jc.scopes",
            "'offline_access' asks for refresh tokens, which are off by default; set refresh_tokens to true to "
            "opt in (it adds 'offline_access' itself), or remove the scope",
        ),
        (
            "clusters.prod.identity_providers",
            ["nope"],
            "clusters.prod.identity_providers[0]",
            "unknown identity provider 'nope'; declared: entra, gws, jc, okta-main",
        ),
        (
            "clusters.prod.region",
            "US-WEST-2",
            "clusters.prod.region",
            "must be an AWS region such as 'us-west-2', got 'US-WEST-2'",
        ),
        (
            "clusters.prod.type",
            "openshift",
            "clusters.prod",
            "unknown type 'openshift'; expected one of 'eks', 'gke', 'kubernetes', 'aks'",
        ),
        (
            "clusters.prod.colour",
            "blue",
            "clusters.prod.colour",
            "unknown key (check the spelling against the config reference in docs/configuration.md)",
        ),
        (
            "identity_providers.jc.issuer_url",
            "http://oauth.id.jumpcloud.com/",
            "identity_providers.jc.issuer_url",
            (
                "'http://oauth.id.jumpcloud.com/' must be an https:// URL with a host; copy the `issuer` of the "
                "IdP's discovery document exactly"
            ),
        ),
        (
            "identity_providers.jc.prefix",
            "jc: ",
            "identity_providers.jc.prefix",
            "must be non-empty without whitespace, got 'jc: '; e.g. 'okta:'",
        ),
        (
            "identity_providers.jc.prefix",
            "",
            "identity_providers.jc.prefix",
            "must not be empty or only spaces; got ''",
        ),
        (
            "identity_providers.jc.client_id",
            DELETE,
            "identity_providers.jc.client_id",
            "required key is missing",
        ),
        (
            "identity_providers.gws.client_id",
            "1234",
            "identity_providers.gws.client_id",
            (
                "must end in .apps.googleusercontent.com, got '1234'; create a Desktop-app "
                "OAuth client in the Google Cloud console"
            ),
        ),
        (
            "identity_providers.gws.client_secret",
            "GOCSPX-x",
            "identity_providers.gws.client_secret",
            (
                "secrets never go in the config: k8s-oidc makes clients without a secret "
                "where the IdP allows it; a Google Workspace secret is the sensitive "
                "Terraform variable `google_workspace_client_secret` of its stacks (e.g. "
                "TF_VAR_google_workspace_client_secret, or a sensitive Terraform Cloud "
                "workspace variable); a JumpCloud workforce client's is "
                "`<idp>_workforce_client_secret` of the workforce-pool stack"
            ),
        ),
        (
            "identity_providers.jc.scopes",
            ["profile"],
            "identity_providers.jc.scopes",
            (
                "must include 'openid' (without it the IdP issues no ID token), got "
                "['profile']; add 'openid' or leave scopes unset for the IdP's defaults"
            ),
        ),
        (
            "identity_providers.okta-main.authorization_server_id",
            "aus1",
            "identity_providers.okta-main.issuer_url",
            (
                "required with authorization_server_id 'aus1': copy the server's Issuer URI "
                "(ending in /oauth2/aus1) from Security > API > Authorization Servers in the "
                "Okta console (Okta's data source finds servers by name only)"
            ),
        ),
        (
            "identity_providers.okta-main.group_filter_regex",
            "k8s-(",
            "identity_providers.okta-main.group_filter_regex",
            (
                "'k8s-(' is not a regular expression (missing ), unterminated subpattern at "
                "position 4); e.g. 'k8s-.*' for the groups named k8s-…"
            ),
        ),
        (
            "identity_providers.okta-main.type",
            "auth0",
            "identity_providers.okta-main",
            ("unknown type 'auth0'; expected one of 'okta', 'entra_id', 'google_workspace', 'jumpcloud', 'oidc'"),
        ),
        (
            "identity_providers.Okta",
            {"type": "okta"},
            "identity_providers.Okta",
            (
                "must be a name of lowercase letters, digits and '-', starting with a letter, "
                "at most 30 characters, such as 'okta-main'; got 'Okta'"
            ),
        ),
        (
            "backend",
            {"type": "cloud"},
            "backend.organization",
            "required key is missing",
        ),
        (
            "backend",
            {"type": "s3"},
            "backend",
            "unknown type 's3'; expected one of 'local', 'cloud'",
        ),
        (
            "access.0.identity_provider",
            "nope",
            "access[0].identity_provider",
            "unknown identity provider 'nope'; declared: entra, gws, jc, okta-main",
        ),
        (
            "access.0.clusters",
            ["data"],
            "access[0].clusters[0]",
            "cluster 'data' does not use identity provider 'okta-main'",
        ),
        (
            "access.0.clusters",
            ["ghost"],
            "access[0].clusters[0]",
            "unknown cluster 'ghost'; declared: data, demo, prod",
        ),
        (
            "clusters.prod.regoin",
            "us-west-2",
            "clusters.prod.regoin",
            "unknown key (did you mean 'region'?)",
        ),
        (
            "access.0.identity_provider",
            "okta-man",
            "access[0].identity_provider",
            ("unknown identity provider 'okta-man' (did you mean 'okta-main'?); declared: entra, gws, jc, okta-main"),
        ),
    ],
)
def test_each_rule_reports_its_key_path(path: str, value: Any, where: str, expected: str) -> None:
    assert problems_of(mutated(path, value)) == {where: expected}


def test_every_problem_is_reported_at_once() -> None:
    document = copy.deepcopy(MINIMAL)
    document["clusters"]["prod"]["region"] = "nowhere"
    document["identity_providers"]["jc"]["client_id"] = "has space"
    document["access"][0]["cluster_role"] = "Not A Role"
    problems = problems_of(document)
    assert {"clusters.prod.region", "identity_providers.jc.client_id", "access[0].cluster_role"} <= set(problems)


@pytest.mark.parametrize("document", ["", "- a\n- b\n", "just text\n", "42\n"])
def test_non_mapping_documents_are_refused(document: str) -> None:
    problems = problems_of(document)
    assert "must be a YAML mapping" in problems[""]


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "oidc.yaml")
    return folder / "oidc.yaml"


def _link_to_dev_zero(folder: Path) -> Path:
    (folder / "oidc.yaml").symlink_to("/dev/zero")
    return folder / "oidc.yaml"


def _oversized(folder: Path) -> Path:
    path = folder / "oidc.yaml"
    with path.open("wb") as file:
        file.truncate(MAX_INPUT_BYTES + 1)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_fifo, "is a FIFO (named pipe), not a regular file"),
        (_link_to_dev_zero, "is a character device (through a symbolic link), not a regular file"),
        (lambda folder: folder, "is a folder, not a regular file"),
        (_oversized, "is larger than 16 MiB: at most 16 MiB of input is read"),
        (lambda folder: folder / "missing.yaml", "no such file (pass --config PATH or set K8S_OIDC_CONFIG)"),
    ],
    ids=["fifo", "dev-zero", "folder", "over-16-mib", "missing"],
)
def test_the_config_file_is_read_within_bounds(tmp_path: Path, make: Callable[[Path], Path], expected: str) -> None:
    """`--config` may name anything: a pipe nobody writes to or /dev/zero must not hang synth or fill memory."""
    path = make(tmp_path)
    try:
        with pytest.raises(UserError) as raised:
            within(10, lambda: load_config(path))
    finally:
        with contextlib.suppress(OSError):  # wakes a reader stuck opening the FIFO (ENXIO: none waiting)
            os.close(os.open(tmp_path / "oidc.yaml", os.O_WRONLY | os.O_NONBLOCK))
    assert raised.value.source == str(path)
    assert [(problem.path, problem.message) for problem in raised.value.problems] == [("", expected)]


def test_cloud_backend_defaults_and_workspace_prefix() -> None:
    config = load(mutated("backend", {"type": "cloud", "organization": "acme"}))
    assert config.backend.type == "cloud"
    assert config.backend.workspace_prefix == "k8s-oidc-"


def test_bundled_example_is_valid() -> None:
    config = parse_config(EXAMPLE_CONFIG.read_text(encoding="utf-8"), EXAMPLE_CONFIG)
    types = {idp.type for idp in config.identity_providers.values()}
    assert types == {"okta", "entra_id", "google_workspace", "jumpcloud"}
    assert {(c.type, c.created) for c in config.clusters.values()} == {
        ("eks", False),
        ("eks", True),
        ("gke", False),
        ("gke", True),
    }
    # Its GKE clusters show Identity Service, which Google deprecated: each carries the warning, nothing else.
    assert [(warning.path, warning.message) for warning in config.warnings] == [
        ("clusters.data.auth", IDENTITY_SERVICE_DEPRECATION),
        ("clusters.lab.auth", IDENTITY_SERVICE_DEPRECATION),
    ]

"""The config model (contract 3): every rule has an input that breaks it, reported at its key path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.config import Config, GkeClusterConfig, StackKind, parse_config
from stacks.config.clusters.gke import IDENTITY_SERVICE_DEPRECATION
from stacks.errors import UserError

MINIMAL: dict[str, Any] = {
    "version": 1,
    "identity_providers": {
        "okta-main": {"type": "okta"},
        "entra": {"type": "entra_id", "security_groups": ["k8s-admins"]},
        "gws": {"type": "google_workspace", "client_id": "1-abc.apps.googleusercontent.com"},
        "jc": {"type": "jumpcloud", "client_id": "5f1e2d3c"},
    },
    "clusters": {
        "prod": {
            "type": "eks",
            "region": "us-west-2",
            "cluster_name": "ProdCluster",
            "identity_providers": ["okta-main"],
        },
        "data": {
            "type": "gke",
            "project": "acme-data",
            "location": "us-west1",
            "cluster_name": "data-cluster",
            "identity_providers": ["gws", "jc"],
        },
        "demo": {
            "type": "eks",
            "region": "us-west-2",
            "create": {
                "kubernetes_version": "1.33",
                "availability_zones": ["us-west-2a", "us-west-2b"],
                "public_access_cidrs": ["203.0.113.0/24"],
            },
            "identity_providers": ["entra"],
        },
    },
    "access": [{"identity_provider": "okta-main", "group": "k8s-admins", "cluster_role": "cluster-admin"}],
}


def load(document: Any) -> Config:
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
    return parse_config(text, Path("oidc.yaml"))


def problems_of(document: Any) -> dict[str, str]:
    with pytest.raises(UserError) as raised:
        load(document)
    assert raised.value.source == "oidc.yaml"
    return {problem.path: problem.message for problem in raised.value.problems}


def mutated(path: str, value: Any) -> dict[str, Any]:
    """MINIMAL with the dotted `path` set to `value` (or removed when value is DELETE)."""
    document = copy.deepcopy(MINIMAL)
    *parents, last = path.split(".")
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return document


DELETE = object()
EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "oidc.yaml"


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


def test_idp_defaults_follow_the_contract_table() -> None:
    config = load(MINIMAL)
    assert config.user_claim("entra") == "preferred_username"
    assert config.user_claim("okta-main") == "email"
    assert config.groups_claim("gws") is None
    assert config.groups_claim("jc") == "groups"
    assert config.scopes("okta-main") == ("openid", "profile", "email", "groups")


def test_a_gke_region_with_a_two_digit_number_is_valid() -> None:
    document = mutated("clusters.data.location", "europe-west10")
    assert load(document).clusters["data"].location == "europe-west10"


@pytest.mark.parametrize(
    ("path", "value", "where", "expected"),
    [
        (
            "version",
            2,
            "version",
            "must be 1; got the number 2",
        ),
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
            "aks",
            "clusters.prod",
            "unknown type 'aks'; expected one of 'eks', 'gke', 'kubernetes'",
        ),
        (
            "clusters.prod.colour",
            "blue",
            "clusters.prod.colour",
            "unknown key (check the spelling against the config reference in the README)",
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
            ("unknown type 'auth0'; expected one of 'okta', 'entra_id', 'google_workspace', 'jumpcloud'"),
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
            "defaults",
            {"redirect_ports": [8000, 8000]},
            "defaults.redirect_ports",
            "must not repeat values, repeated: 8000",
        ),
        (
            "defaults",
            {"redirect_ports": [80]},
            "defaults.redirect_ports[0]",
            "must be at least 1024, got the number 80",
        ),
        (
            "defaults",
            {"redirect_ports": [70000]},
            "defaults.redirect_ports[0]",
            "must be at most 65535, got the number 70000",
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
            "access.0.user",
            "jane@example.com",
            "access[0]",
            "give exactly one of `group` or `user`",
        ),
        (
            "access.0.namespace",
            "Team_A",
            "access[0].namespace",
            (
                "must be a namespace name (lowercase letters, digits and '-', at most 63 "
                "characters), such as 'team-a'; got 'Team_A'"
            ),
        ),
        (
            "surprise",
            True,
            "surprise",
            (
                "unknown top-level key; the top-level keys are version, backend, defaults, "
                "identity_providers, clusters, access, google_workforce_pool"
            ),
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


def test_an_existing_gke_cluster_may_limit_its_identity_service_endpoint() -> None:
    config = load(mutated("clusters.data.public_access_cidrs", ["203.0.113.0/24"]))
    data = config.clusters["data"]
    assert isinstance(data, GkeClusterConfig)
    assert data.identity_service_source_ranges == ["203.0.113.0/24"]
    assert isinstance(load(MINIMAL).clusters["data"], GkeClusterConfig)
    assert load(MINIMAL).clusters["data"].identity_service_source_ranges is None  # type: ignore[union-attr]


def test_a_created_gke_clusters_endpoint_ranges_are_its_create_public_access_cidrs() -> None:
    created = {
        "type": "gke",
        "project": "acme-lab",
        "location": "us-central1",
        "create": {"public_access_cidrs": ["192.0.2.0/24"]},
        "identity_providers": ["jc"],
    }
    lab = load(mutated("clusters.lab", created)).clusters["lab"]
    assert isinstance(lab, GkeClusterConfig)
    assert lab.identity_service_source_ranges == ["192.0.2.0/24"]
    assert problems_of(mutated("clusters.lab", {**created, "public_access_cidrs": ["192.0.2.0/24"]})) == {
        "clusters.lab.public_access_cidrs": (
            "`public_access_cidrs` of a created cluster go under `create` (they are its master authorized networks "
            "and its Identity Service endpoint's source ranges at once); remove the one beside `create`"
        )
    }


def test_a_workforce_cluster_has_no_identity_service_endpoint_to_limit() -> None:
    document = mutated("clusters.data.public_access_cidrs", ["203.0.113.0/24"])
    document["clusters"]["data"]["auth"] = "workforce_identity"
    assert problems_of(document) == {
        "clusters.data.public_access_cidrs": (
            "`public_access_cidrs` limits the Identity Service endpoint, which a `workforce_identity` cluster does "
            "not use (engineers reach it through gcloud); remove it"
        )
    }


def test_device_code_is_off_unless_asked_and_okta_takes_it() -> None:
    assert not any(idp.device_code for idp in load(MINIMAL).identity_providers.values())
    config = load(mutated("identity_providers.okta-main.device_code", True))
    assert config.identity_providers["okta-main"].device_code is True
    assert not config.identity_providers["jc"].device_code


def test_refresh_tokens_are_off_unless_asked_and_bring_offline_access() -> None:
    assert not any(idp.refresh_tokens for idp in load(MINIMAL).identity_providers.values())
    config = load(mutated("identity_providers.jc.refresh_tokens", True))
    assert config.scopes("jc") == ("openid", "profile", "email", "offline_access")
    assert load(MINIMAL).scopes("jc") == ("openid", "profile", "email")


def test_group_rule_for_an_idp_without_groups_claim_is_an_error() -> None:
    document = copy.deepcopy(MINIMAL)
    document["access"].append({"identity_provider": "gws", "group": "admins", "cluster_role": "view"})
    problems = problems_of(document)
    assert "no groups claim" in problems["access[1].group"]


def test_an_idp_named_system_needs_its_own_prefix() -> None:
    document = mutated("identity_providers.system", {"type": "jumpcloud", "client_id": "x"})
    assert "reserved for Kubernetes" in problems_of(document)["identity_providers.system.prefix"]


def test_colliding_stack_names_are_an_error() -> None:
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["b-c"] = {"type": "jumpcloud", "client_id": "x"}
    document["identity_providers"]["c"] = {"type": "jumpcloud", "client_id": "y"}
    document["clusters"]["a"] = {**document["clusters"]["data"], "identity_providers": ["b-c"]}
    document["clusters"]["a-b"] = {**document["clusters"]["data"], "identity_providers": ["c"]}
    problems = problems_of(document)
    assert "'a-b-c' is also made by" in problems["clusters.a-b.identity_providers (c)"]


def test_cluster_stack_name_collides_with_a_pair_named_cluster() -> None:
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["cluster"] = {"type": "jumpcloud", "client_id": "x"}
    document["clusters"]["demo"]["identity_providers"] = ["cluster"]
    problems = problems_of(document)
    assert "'demo-cluster' is also made by" in problems["clusters.demo.identity_providers (cluster)"]


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


def test_unused_idp_and_empty_entra_groups_are_warnings_not_errors() -> None:
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["spare"] = {"type": "jumpcloud", "client_id": "z"}
    document["identity_providers"]["entra"]["security_groups"] = []
    warnings = {warning.path: warning.message for warning in load(document).warnings}
    assert "not used by any cluster" in warnings["identity_providers.spare"]
    assert "nobody can sign in" in warnings["identity_providers.entra.security_groups"]


def test_cloud_backend_defaults_and_workspace_prefix() -> None:
    config = load(mutated("backend", {"type": "cloud", "organization": "acme"}))
    assert config.backend.type == "cloud"
    assert config.backend.workspace_prefix == "k8s-oidc-"


def test_access_rules_apply_to_every_cluster_of_the_idp_by_default() -> None:
    document = copy.deepcopy(MINIMAL)
    document["clusters"]["second"] = {**document["clusters"]["prod"], "cluster_name": "Second"}
    config = load(document)
    assert len(config.access_rules_for("prod", "okta-main")) == 1
    assert len(config.access_rules_for("second", "okta-main")) == 1
    assert config.access_rules_for("data", "gws") == []


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

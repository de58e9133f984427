"""The config model (contract 3): every rule has an input that breaks it, reported at its key path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.config import Config, GkeClusterConfig, StackKind, parse_config
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


@pytest.mark.parametrize(
    ("path", "value", "where", "expected"),
    [
        ("version", 2, "version", "Input should be 1"),
        ("clusters.prod.identity_providers", ["okta-main", "entra"], "clusters.prod.identity_providers", "exactly one"),
        ("clusters.data.identity_providers", [], "clusters.data.identity_providers", "at least 1 item"),
        (
            "clusters.prod.create",
            MINIMAL["clusters"]["demo"]["create"],
            "clusters.prod",
            "exactly one of `cluster_name`",
        ),
        ("clusters.prod.cluster_name", DELETE, "clusters.prod", "exactly one of `cluster_name`"),
        ("clusters.demo.create.public_access_cidrs", DELETE, "clusters.demo.create.public_access_cidrs", "missing"),
        (
            "clusters.demo.create.public_access_cidrs",
            ["0.0.0.0/0"],
            "clusters.demo.create.public_access_cidrs[0]",
            "whole internet",
        ),
        (
            "clusters.data.public_access_cidrs",
            ["0.0.0.0/0"],
            "clusters.data.public_access_cidrs[0]",
            "whole internet",
        ),
        ("clusters.data.public_access_cidrs", ["10.0.0.1/8"], "clusters.data.public_access_cidrs[0]", "IPv4 CIDR"),
        ("clusters.data.public_access_cidrs", [], "clusters.data.public_access_cidrs", "at least 1 item"),
        ("identity_providers.jc.refresh_tokens", "yes", "identity_providers.jc.refresh_tokens", "valid boolean"),
        ("clusters.demo.create.kubernetes_version", 1.3, "clusters.demo.create.kubernetes_version", "valid string"),
        ("clusters.demo.create.availability_zones", ["eu-west-1a", "eu-west-1b"], "clusters.demo", "not in region"),
        (
            "clusters.prod.identity_providers",
            ["nope"],
            "clusters.prod.identity_providers[0]",
            "unknown identity provider 'nope'",
        ),
        ("clusters.prod.region", "US-WEST-2", "clusters.prod.region", "should match pattern"),
        ("clusters.prod.type", "aks", "clusters.prod", "unknown type 'aks'"),
        ("clusters.prod.colour", "blue", "clusters.prod.colour", "unknown key"),
        (
            "identity_providers.jc.issuer_url",
            "http://oauth.id.jumpcloud.com/",
            "identity_providers.jc.issuer_url",
            "https://",
        ),
        ("identity_providers.jc.prefix", "jc: ", "identity_providers.jc.prefix", "should match pattern"),
        ("identity_providers.jc.prefix", "", "identity_providers.jc.prefix", "should match pattern"),
        ("identity_providers.jc.client_id", DELETE, "identity_providers.jc.client_id", "missing"),
        ("identity_providers.gws.client_id", "1234", "identity_providers.gws.client_id", "apps.googleusercontent.com"),
        (
            "identity_providers.gws.client_secret",
            "GOCSPX-x",
            "identity_providers.gws.client_secret",
            "TF_VAR_google_workspace_client_secret",
        ),
        ("identity_providers.jc.scopes", ["profile"], "identity_providers.jc.scopes", "must include `openid`"),
        (
            "identity_providers.okta-main.authorization_server_id",
            "aus1",
            "identity_providers.okta-main",
            "needs `issuer_url`",
        ),
        (
            "identity_providers.okta-main.group_filter_regex",
            "k8s-(",
            "identity_providers.okta-main.group_filter_regex",
            "not a regular expression",
        ),
        ("identity_providers.okta-main.type", "auth0", "identity_providers.okta-main", "unknown type 'auth0'"),
        ("identity_providers.Okta", {"type": "okta"}, "identity_providers.Okta", "name must match"),
        ("defaults", {"redirect_ports": [8000, 8000]}, "defaults.redirect_ports", "repeated: 8000"),
        ("defaults", {"redirect_ports": [80]}, "defaults.redirect_ports[0]", "greater than or equal to 1024"),
        ("defaults", {"redirect_ports": [70000]}, "defaults.redirect_ports[0]", "less than or equal to 65535"),
        ("backend", {"type": "cloud"}, "backend.organization", "missing"),
        ("backend", {"type": "s3"}, "backend", "unknown type 's3'; expected one of 'local', 'cloud'"),
        ("access.0.identity_provider", "nope", "access[0].identity_provider", "unknown identity provider"),
        ("access.0.clusters", ["data"], "access[0].clusters[0]", "does not use identity provider"),
        ("access.0.clusters", ["ghost"], "access[0].clusters[0]", "unknown cluster"),
        ("access.0.user", "jane@example.com", "access[0]", "exactly one of `group` or `user`"),
        ("access.0.namespace", "Team_A", "access[0].namespace", "should match pattern"),
        ("surprise", True, "surprise", "unknown key"),
    ],
)
def test_each_rule_reports_its_key_path(path: str, value: Any, where: str, expected: str) -> None:
    problems = problems_of(mutated(path, value))
    assert where in problems, problems
    assert expected in problems[where]


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
    problems = problems_of(mutated("clusters.lab", {**created, "public_access_cidrs": ["192.0.2.0/24"]}))
    assert "go under `create`" in problems["clusters.lab"]


def test_a_workforce_cluster_has_no_identity_service_endpoint_to_limit() -> None:
    document = mutated("clusters.data.public_access_cidrs", ["203.0.113.0/24"])
    document["clusters"]["data"]["auth"] = "workforce_identity"
    assert "does not use (engineers reach it through gcloud)" in problems_of(document)["clusters.data"]


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


def test_malformed_yaml_reports_line_and_column() -> None:
    problems = problems_of("version: 1\nclusters: [\n  oops: {\n")
    assert list(problems) == [""]
    assert "line 4, column 1" in problems[""] or "line 3" in problems[""]
    assert "malformed YAML" in problems[""]


def test_alias_bombs_are_refused_before_validation() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    problems = problems_of("\n".join(levels) + "\n")
    assert "expands to more than 1,000,000 values" in problems[""]


def test_duplicate_keys_are_an_error() -> None:
    problems = problems_of("version: 1\nversion: 1\n")
    assert "duplicate key 'version'" in problems[""]


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
    assert config.warnings == []

"""One home per rule: every rule a construct's props apply to a config value is reported by `validate`
at the YAML key the value came from — so `validate` and `synth` can never disagree."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.config import parse_config
from stacks.errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "workforce.yaml"
BASE: dict[str, Any] = {
    **yaml.safe_load(FIXTURE.read_text(encoding="utf-8")),
    "clusters": {
        **yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["clusters"],
        "prod": {"type": "eks", "region": "us-west-2", "cluster_name": "ProdCluster", "identity_providers": ["jc"]},
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
        "lab": {
            "type": "gke",
            "project": "acme-lab",
            "location": "europe-west10",
            "create": {"public_access_cidrs": ["203.0.113.0/24"]},
            "identity_providers": ["gws"],
        },
    },
}

# (path to set, value, the key the problem must be reported at)
CASES = [
    # IdP props (constructs_lib/idp/*_props.py)
    ("identity_providers.okta-main.prefix", "system:", "identity_providers.okta-main.prefix"),
    ("identity_providers.okta-main.prefix", "sys", "identity_providers.okta-main.prefix"),
    ("identity_providers.jc.issuer_url", "https://jc@127.0.0.1/", "identity_providers.jc.issuer_url"),
    ("identity_providers.okta-main.issuer_url", "http://acme.okta.com", "identity_providers.okta-main.issuer_url"),
    ("identity_providers.jc.user_claim", "e mail", "identity_providers.jc.user_claim"),
    ("identity_providers.jc.groups_claim", "my groups", "identity_providers.jc.groups_claim"),
    ("identity_providers.jc.scopes", ["profile"], "identity_providers.jc.scopes"),
    ("identity_providers.okta-main.scopes", ["openid"], "identity_providers.okta-main.scopes"),
    ("identity_providers.okta-main.authorization_server_id", "aus1", "identity_providers.okta-main.issuer_url"),
    ("identity_providers.okta-main.group_filter_regex", "k8s-(", "identity_providers.okta-main.group_filter_regex"),
    ("identity_providers.entra.security_groups", ["a", "a"], "identity_providers.entra.security_groups"),
    ("identity_providers.gws.client_id", "1234", "identity_providers.gws.client_id"),
    ("identity_providers.jc.client_id", "two words", "identity_providers.jc.client_id"),
    ("identity_providers.jc.workforce_client_id", "web id", "identity_providers.jc.workforce_client_id"),
    # EKS props (constructs_lib/cluster/eks_cluster_props.py)
    ("clusters.prod.region", "us-west2", "clusters.prod.region"),
    ("clusters.prod.cluster_name", "-prod", "clusters.prod.cluster_name"),
    ("clusters.demo.create.kubernetes_version", "1.3", "clusters.demo.create.kubernetes_version"),
    ("clusters.demo.create.vpc_cidr", "10.0.0.0/12", "clusters.demo.create.vpc_cidr"),
    ("clusters.demo.create.availability_zones", ["us-west-2a"], "clusters.demo.create.availability_zones"),
    ("clusters.demo.create.public_access_cidrs", ["0.0.0.0/0"], "clusters.demo.create.public_access_cidrs"),
    ("clusters.demo.create.public_access_cidrs", [], "clusters.demo.create.public_access_cidrs"),
    # GKE props (constructs_lib/cluster/gke_cluster_props.py)
    ("clusters.classic.project", "Acme", "clusters.classic.project"),
    ("clusters.classic.location", "westeurope", "clusters.classic.location"),
    ("clusters.classic.cluster_name", "Classic", "clusters.classic.cluster_name"),
    ("clusters.lab.create.pods_cidr", "10.10.0.0/16", "clusters.lab.create.pods_cidr"),
    ("clusters.lab.create.master_cidr", "172.16.0.0/24", "clusters.lab.create.master_cidr"),
    ("clusters.lab.create.subnet_cidr", "10.10.0.1/20", "clusters.lab.create.subnet_cidr"),
    ("clusters.lab.create.node_count", 0, "clusters.lab.create.node_count"),
    # Workforce pool props (constructs_lib/workforce/pool_props.py)
    ("google_workforce_pool.organization_id", "acme", "google_workforce_pool.organization_id"),
    ("google_workforce_pool.pool_id", "gcp-pool", "google_workforce_pool.pool_id"),
    ("google_workforce_pool.session_duration", "60s", "google_workforce_pool.session_duration"),
]


def with_value(path: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = document
    for key in parents:
        node = node[key]
    node[last] = value
    return document


def problems_of(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(UserError) as raised:
        parse_config(yaml.safe_dump(document, sort_keys=False), Path("oidc.yaml"))
    return {problem.path: problem.message for problem in raised.value.problems}


def test_the_base_config_is_valid() -> None:
    config = parse_config(yaml.safe_dump(BASE, sort_keys=False), Path("oidc.yaml"))
    assert {"prod", "demo", "lab", "classic"} <= set(config.clusters)


@pytest.mark.parametrize(("path", "value", "where"), CASES, ids=[f"{path}={value!r}" for path, value, _ in CASES])
def test_a_props_rule_is_reported_at_its_key(path: str, value: Any, where: str) -> None:
    problems = problems_of(with_value(path, value))
    assert list(problems) == [where], problems


def test_a_workforce_provider_id_rule_is_reported_at_the_clusters_reference() -> None:
    document = copy.deepcopy(BASE)
    document["identity_providers"]["gcp-okta"] = document["identity_providers"].pop("okta-main")
    for cluster in document["clusters"].values():
        cluster["identity_providers"] = [
            "gcp-okta" if name == "okta-main" else name for name in cluster["identity_providers"]
        ]
    for rule in document["access"]:
        if rule["identity_provider"] == "okta-main":
            rule["identity_provider"] = "gcp-okta"
    assert problems_of(document) == {
        "clusters.data.identity_providers[0]": (
            "must be 4-32 characters of a-z, 0-9 and '-', not starting with 'gcp-', got 'gcp-okta'"
        ),
        "clusters.fed.identity_providers[0]": (
            "must be 4-32 characters of a-z, 0-9 and '-', not starting with 'gcp-', got 'gcp-okta'"
        ),
    }


def test_overlapping_created_gke_ranges_are_a_config_error_with_its_key_path() -> None:
    assert problems_of(with_value("clusters.lab.create.pods_cidr", "10.10.0.0/16")) == {
        "clusters.lab.create.pods_cidr": (
            "subnet_cidr 10.10.0.0/20 overlaps pods_cidr 10.10.0.0/16; give each range its own addresses"
        )
    }


def test_every_problem_in_the_file_at_once() -> None:
    document = with_value("version", "1")
    document["backend"] = {"type": "cloud"}
    document["clusters"]["prod"]["region"] = "us-west2"
    document["identity_providers"]["jc"]["scopes"] = ["profile"]
    assert set(problems_of(document)) == {
        "version",
        "backend.organization",
        "clusters.prod.region",
        "identity_providers.jc.scopes",
    }


def test_an_entry_with_a_shape_problem_still_has_its_other_rules_checked() -> None:
    """Every problem at once: an unknown key in an entry doesn't hide a bad value beside it."""
    document = with_value("clusters.prod.regoin", "us-west-2")
    document["clusters"]["prod"]["region"] = "us-west2"
    document["identity_providers"]["okta-main"]["colour"] = "blue"
    document["identity_providers"]["okta-main"]["prefix"] = "system:"
    assert problems_of(document) == {
        "clusters.prod.regoin": "unknown key (did you mean 'region'?)",
        "clusters.prod.region": "must be an AWS region such as 'us-west-2', got 'us-west2'",
        "identity_providers.okta-main.colour": (
            "unknown key (check the spelling against the config reference in docs/configuration.md)"
        ),
        "identity_providers.okta-main.prefix": (
            "'system:' must not start with 'system:' (reserved for Kubernetes' own users and groups: an IdP group "
            "'masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'"
        ),
    }


def test_every_refused_value_of_one_entry_at_once() -> None:
    """Contract 2, round 3: a created cluster with zones outside its region *and* `0.0.0.0/0` gets both
    messages in one run, each at its own key; so does an IdP with several refused values."""
    document = with_value("clusters.demo.create.availability_zones", ["us-east-1a", "us-east-1b"])
    document["clusters"]["demo"]["create"]["public_access_cidrs"] = ["0.0.0.0/0"]
    document["identity_providers"]["jc"].update(prefix="sys", issuer_url="https://jc@127.0.0.1/", scopes=["email"])
    assert problems_of(document) == {
        "clusters.demo.create.availability_zones": (
            "availability zones us-east-1a, us-east-1b are not in region us-west-2; use zones such as us-west-2a"
        ),
        "clusters.demo.create.public_access_cidrs": (
            "must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole internet; list your egress ranges "
            "instead"
        ),
        "identity_providers.jc.prefix": (
            "'sys' must not be the start of 'system:' (reserved for Kubernetes' own users and groups: an IdP group "
            "'tem:masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'"
        ),
        "identity_providers.jc.issuer_url": (
            "'https://jc@127.0.0.1/' must hold no user name or password before the host ('…@'): clients would "
            "connect to '127.0.0.1', the part after the '@'; copy the `issuer` of the IdP's discovery document "
            "exactly"
        ),
        "identity_providers.jc.scopes": (
            "must include 'openid' (without it the IdP issues no ID token), got ['email']; add 'openid' or leave "
            "scopes unset for the IdP's defaults"
        ),
    }


def test_validate_shows_every_refused_value_of_an_entry_in_one_run(tmp_path: Path) -> None:
    document = with_value("clusters.demo.create.availability_zones", ["us-east-1a", "us-east-1b"])
    document["clusters"]["demo"]["create"]["public_access_cidrs"] = ["0.0.0.0/0"]
    config = tmp_path / "oidc.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "validate", "--config", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"error: {config}: 2 problems:"
    assert "  - clusters.demo.create.availability_zones: availability zones us-east-1a, us-east-1b" in result.stderr
    assert "  - clusters.demo.create.public_access_cidrs: must not contain 0.0.0.0/0" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["oidc.yaml"]


def test_a_value_refused_for_both_clients_of_an_idp_is_reported_once() -> None:
    # jc signs in kubelogin's client and a workforce pool's web client: both props refuse its prefix.
    with pytest.raises(UserError) as raised:
        parse_config(yaml.safe_dump(with_value("identity_providers.jc.prefix", "sys")), Path("oidc.yaml"))
    assert [problem.path for problem in raised.value.problems] == ["identity_providers.jc.prefix"]

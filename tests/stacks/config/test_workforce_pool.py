"""Config rules of GKE through Workforce Identity Federation (issue 6)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.config import ClusterKind, GkeAuth, parse_config
from stacks.errors import UserError

WORKFORCE: dict[str, Any] = {
    "version": 1,
    "google_workforce_pool": {"organization_id": "123456789012", "pool_id": "k8s-engineers"},
    "identity_providers": {
        "okta": {"type": "okta"},
        "jc": {"type": "jumpcloud", "client_id": "public-id", "workforce_client_id": "web-id"},
        "gws": {"type": "google_workspace", "client_id": "1-abc.apps.googleusercontent.com"},
    },
    "clusters": {
        "data": {
            "type": "gke",
            "auth": "workforce_identity",
            "project": "acme-data",
            "location": "us-west1",
            "cluster_name": "data-cluster",
            "identity_providers": ["okta", "jc"],
        },
        "legacy": {
            "type": "gke",
            "project": "acme-data",
            "location": "us-west1",
            "cluster_name": "legacy",
            "identity_providers": ["gws"],
        },
    },
}


def problems_of(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(UserError) as raised:
        parse_config(yaml.safe_dump(document, sort_keys=False), Path("oidc.yaml"))
    return {problem.path: problem.message for problem in raised.value.problems}


def test_workforce_config_loads() -> None:
    config = parse_config(yaml.safe_dump(WORKFORCE, sort_keys=False), Path("oidc.yaml"))
    assert config.clusters["data"].auth is GkeAuth.WORKFORCE_IDENTITY  # type: ignore[union-attr]
    assert config.clusters["legacy"].auth is GkeAuth.IDENTITY_SERVICE  # type: ignore[union-attr]
    assert config.workforce_identity_providers == ["okta", "jc"]
    assert config.workforce_pool_stack == "workforce-pool"
    assert config.clusters["data"].kind is ClusterKind.GKE_WORKFORCE
    assert config.clusters["legacy"].kind is ClusterKind.GKE_IDENTITY_SERVICE


def test_missing_pool_with_a_workforce_cluster() -> None:
    document = copy.deepcopy(WORKFORCE)
    del document["google_workforce_pool"]
    assert "needs a top-level `google_workforce_pool`" in problems_of(document)["clusters.data.auth"]


@pytest.mark.parametrize("pool_id", ["short", "gcp-reserved", "Upper-Case"])
def test_bad_pool_id(pool_id: str) -> None:
    document = copy.deepcopy(WORKFORCE)
    document["google_workforce_pool"]["pool_id"] = pool_id
    assert problems_of(document) == {
        "google_workforce_pool.pool_id": (
            f"must be 6-63 characters of a-z, 0-9 and '-', not starting with 'gcp-', got {pool_id!r}"
        )
    }


def test_a_short_idp_name_on_a_workforce_cluster_is_valid() -> None:
    """Pool provider ids need 4 characters: the stacks pad short IdP names, so validate accepts them too."""
    document = copy.deepcopy(WORKFORCE)
    okta = next(name for name, idp in document["identity_providers"].items() if idp["type"] == "okta")
    document["identity_providers"]["ok"] = document["identity_providers"].pop(okta)
    for cluster in document["clusters"].values():
        cluster["identity_providers"] = ["ok" if name == okta else name for name in cluster["identity_providers"]]
    for rule in document.get("access", []):
        if rule["identity_provider"] == okta:
            rule["identity_provider"] = "ok"
    assert "ok" in parse_config(yaml.safe_dump(document), Path("oidc.yaml")).identity_providers


@pytest.mark.parametrize("duration", ["900s", "43200s", "60m"])
def test_session_duration_bounds(duration: str) -> None:
    document = copy.deepcopy(WORKFORCE)
    document["google_workforce_pool"]["session_duration"] = duration
    assert "google_workforce_pool.session_duration" in problems_of(document)


def test_unquoted_organization_id_is_accepted() -> None:
    document = copy.deepcopy(WORKFORCE)
    document["google_workforce_pool"]["organization_id"] = 123456789012
    config = parse_config(yaml.safe_dump(document, sort_keys=False), Path("oidc.yaml"))
    assert config.workforce_pool is not None and config.workforce_pool.organization_id == "123456789012"


def test_google_workspace_idp_on_a_workforce_cluster_is_an_error() -> None:
    document = copy.deepcopy(WORKFORCE)
    document["clusters"]["data"]["identity_providers"] = ["gws"]
    message = problems_of(document)["clusters.data.identity_providers[0]"]
    assert "Google identities already" in message


def test_jumpcloud_on_a_workforce_cluster_needs_a_web_client_id() -> None:
    document = copy.deepcopy(WORKFORCE)
    del document["identity_providers"]["jc"]["workforce_client_id"]
    assert "required" in problems_of(document)["identity_providers.jc.workforce_client_id"]


def test_workforce_pool_stack_name_collision_is_reported() -> None:
    document = copy.deepcopy(WORKFORCE)
    document["identity_providers"]["pool"] = {"type": "jumpcloud", "client_id": "x"}
    document["clusters"]["workforce"] = {**document["clusters"]["legacy"], "identity_providers": ["pool"]}
    assert (
        "'workforce-pool' is also made by google_workforce_pool"
        in problems_of(document)["clusters.workforce.identity_providers (pool)"]
    )

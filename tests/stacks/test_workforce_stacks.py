"""The stacks of GKE through Workforce Identity Federation (issue 6): the pool stack with one provider
and web client per IdP, and pair stacks with IAM instead of `oidc_config`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from synth_support import config_from_text, synth_config

SECRET = "jc-secret-value-never-in-json"
SECRET_VARIABLE = "TF_VAR_jc_workforce_client_secret"
CONFIG = (Path(__file__).resolve().parents[1] / "fixtures" / "workforce.yaml").read_text(encoding="utf-8")
POOL = "principalSet://iam.googleapis.com/locations/global/workforcePools/k8s-engineers"


MANIFEST_HOLDER: list[Path] = []


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("workforce")
    MANIFEST_HOLDER.append(root / "cdktf.out")
    # A secret set the way operators set it must still never reach the synthesised JSON.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_VARIABLE, SECRET)
        return synth_config(config_from_text(CONFIG, root), root / "cdktf.out", project_root=root)


def resources(stack: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(stack.get("resource", {}).get(kind, {}).values())


def test_stack_set(stacks: dict[str, dict[str, Any]]) -> None:
    assert set(stacks) == {
        "workforce-pool",
        "data-okta-main",
        "data-entra",
        "data-jc",
        "fed-cluster",
        "fed-okta-main",
        "classic-gws",
    }


def test_pool_and_one_provider_per_federated_idp(stacks: dict[str, dict[str, Any]]) -> None:
    pool_stack = stacks["workforce-pool"]
    (pool,) = resources(pool_stack, "google_iam_workforce_pool")
    assert (pool["parent"], pool["workforce_pool_id"], pool["session_duration"]) == (
        "organizations/123456789012",
        "k8s-engineers",
        "3600s",
    )
    providers = {p["provider_id"]: p for p in resources(pool_stack, "google_iam_workforce_pool_provider")}
    assert set(providers) == {"okta-main", "entra", "jc-idp"}
    assert {p["oidc"]["web_sso_config"]["response_type"] for p in providers.values()} == {"CODE"}
    assert providers["jc-idp"]["oidc"]["client_id"] == "web-id"
    assert providers["jc-idp"]["oidc"]["issuer_uri"] == "https://oauth.id.jumpcloud.com/"
    assert providers["entra"]["attribute_mapping"]["google.subject"] == "assertion.preferred_username"


def test_idp_web_clients_redirect_to_googles_callback(stacks: dict[str, dict[str, Any]]) -> None:
    pool_stack = stacks["workforce-pool"]
    callback = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/"
    (okta_app,) = resources(pool_stack, "okta_app_oauth")
    assert okta_app["type"] == "web"
    assert okta_app["redirect_uris"] == [callback + "okta-main"]
    assert okta_app["grant_types"] == ["authorization_code"]
    (entra_app,) = resources(pool_stack, "azuread_application")
    assert entra_app["web"]["redirect_uris"] == [callback + "entra"]
    assert resources(pool_stack, "azuread_application_password")
    assert pool_stack["variable"]["jc_workforce_client_secret"]["sensitive"] is True


def test_no_secret_value_in_any_stack(stacks: dict[str, dict[str, Any]]) -> None:
    assert SECRET not in json.dumps(stacks)


def members(stack: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(m["project"], m["role"], m["member"]) for m in resources(stack, "google_project_iam_member")}


def test_pair_stacks_grant_cluster_viewer_to_the_rules_principals(stacks: dict[str, dict[str, Any]]) -> None:
    viewer = "roles/container.clusterViewer"
    assert members(stacks["data-okta-main"]) == {("acme-data", viewer, f"{POOL}/group/k8s-admins")}
    assert members(stacks["data-entra"]) == {
        (
            "acme-data",
            viewer,
            "principal://iam.googleapis.com/locations/global/workforcePools/k8s-engineers/subject/jane@acme.com",
        )
    }
    # No rule narrows jc: everyone signing in through its provider may fetch credentials.
    assert members(stacks["data-jc"]) == {("acme-data", viewer, f"{POOL}/attribute.k8s_oidc_provider/jc-idp")}


def test_workforce_pairs_output_cluster_and_workforce_only(stacks: dict[str, dict[str, Any]]) -> None:
    outputs = stacks["data-okta-main"]["output"]
    assert set(outputs) == {"cluster", "workforce"}
    assert outputs["workforce"]["value"] == {
        "pool": "k8s-engineers",
        "provider": "okta-main",
        "project": "acme-data",
        "location": "us-west1",
        "cluster_name": "data-cluster",
    }
    assert stacks["fed-okta-main"]["output"]["workforce"]["value"]["cluster_name"] == "fed"
    assert "oidc_config" in stacks["classic-gws"]["output"]


def test_identity_service_only_in_identity_service_mode(stacks: dict[str, dict[str, Any]]) -> None:
    (cluster,) = resources(stacks["fed-cluster"], "google_container_cluster")
    assert cluster["identity_service_config"] == {"enabled": False}


def test_workforce_pairs_deploy_after_the_pool(stacks: dict[str, dict[str, Any]]) -> None:
    manifest = json.loads((MANIFEST_HOLDER[0] / "manifest.json").read_text(encoding="utf-8"))
    dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    for pair in ("data-okta-main", "data-entra", "data-jc", "fed-okta-main"):
        assert "workforce-pool" in dependencies[pair], pair
    assert "workforce-pool" not in dependencies["classic-gws"]


def test_okta_provider_asks_for_the_groups_scope(stacks: dict[str, dict[str, Any]]) -> None:
    providers = {p["provider_id"]: p for p in resources(stacks["workforce-pool"], "google_iam_workforce_pool_provider")}
    assert providers["okta-main"]["oidc"]["web_sso_config"]["additional_scopes"] == ["groups"]
    assert "additional_scopes" not in providers["entra"]["oidc"]["web_sso_config"]

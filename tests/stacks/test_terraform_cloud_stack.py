"""The `terraform-cloud` stack (DESIGN.md contract 7): the workspaces of every other stack, remote state
shared only where cross-stack reads need it, run triggers along the App's stack dependencies, the Google
Workspace secret as a sensitive workspace variable, variable sets attached; its own state local."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import cdktf
import pytest
from synth_support import config_from_text, synth_config

from stacks.config import TERRAFORM_CLOUD_STACK
from stacks.terraform_cloud_stack import TerraformCloudStack, client_secret_variables, run_triggers

CONFIG = (Path(__file__).resolve().parents[1] / "fixtures" / "terraform_cloud.yaml").read_text(encoding="utf-8")
SECRET = "GOCSPX-sentinel-never-in-json"
# Every stack of the config but the bootstrap stack, as the App builds them.
STACKS = [
    "workforce-pool",
    "prod-okta-main",
    "demo-cluster",
    "demo-entra",
    "data-gws",
    "data-okta-main",
    "fed-cluster",
    "fed-okta-main",
]
CONSUMERS = {"demo-cluster": ["demo-entra"], "fed-cluster": ["fed-okta-main"]}
TRIGGERS = [
    ("demo-cluster", "demo-entra"),
    ("fed-cluster", "fed-okta-main"),
    ("workforce-pool", "fed-okta-main"),
]
# The ids of the two variable sets' data sources: a name that isn't a valid id gets a hash.
VARIABLE_SETS = {
    "aws-credentials": "aws-credentials",
    "okta api": "okta_api_" + hashlib.sha256(b"okta api").hexdigest()[:8],
}


def workspace(name: str) -> str:
    return f"${{tfe_workspace.workspace_{name}.id}}"


def without_metadata(value: Any) -> Any:
    """The JSON without cdktf's `//` metadata entries."""
    if isinstance(value, dict):
        return {key: without_metadata(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [without_metadata(item) for item in value]
    return value


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("terraform-cloud")
    # The secret set the way operators set it still never reaches any synthesised file.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TF_VAR_google_workspace_client_secret", SECRET)
        stacks = synth_config(config_from_text(CONFIG, root), root / "cdktf.out", project_root=root)
    return root, stacks


@pytest.fixture(scope="module")
def bootstrap(synth: tuple[Path, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    return synth[1][TERRAFORM_CLOUD_STACK]


def test_the_app_adds_the_bootstrap_stack_with_no_dependency_either_way(
    synth: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    root, stacks = synth
    assert set(stacks) == {TERRAFORM_CLOUD_STACK, *STACKS}
    manifest = json.loads((root / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert dependencies[TERRAFORM_CLOUD_STACK] == []
    assert all(TERRAFORM_CLOUD_STACK not in depends_on for depends_on in dependencies.values())


def test_resources_exactly(bootstrap: dict[str, Any]) -> None:
    expected_workspaces = {
        f"workspace_{name}": {
            "name": f"k8s-{name}",
            "organization": "acme",
            "project_id": "${data.tfe_project.project.id}",
            "description": f"k8s-oidc stack {name} (managed by the terraform-cloud stack)",
            "auto_apply_run_trigger": False,
            "queue_all_runs": False,
            "force_delete": False,
        }
        for name in STACKS
    }
    expected_settings = {
        f"settings_{name}": {
            "workspace_id": workspace(name),
            "auto_apply": False,
            "global_remote_state": False,
            "remote_state_consumer_ids": [workspace(consumer) for consumer in CONSUMERS.get(name, [])],
        }
        for name in STACKS
    }
    expected_triggers = {
        f"trigger_{source}_{target}": {"sourceable_id": workspace(source), "workspace_id": workspace(target)}
        for source, target in TRIGGERS
    }
    expected_variables = {
        "google_workspace_client_secret_data-gws": {
            "workspace_id": workspace("data-gws"),
            "category": "terraform",
            "key": "google_workspace_client_secret",
            "value": "${var.google_workspace_client_secret}",
            "sensitive": True,
            "description": "Client secret of the Google Workspace OAuth client (set by the terraform-cloud stack)",
        }
    }
    expected_attachments = {
        f"variable_set_{slug}_{name}": {
            "variable_set_id": f"${{data.tfe_variable_set.variable_set_{slug}.id}}",
            "workspace_id": workspace(name),
        }
        for slug in VARIABLE_SETS.values()
        for name in STACKS
    }
    assert without_metadata(bootstrap["resource"]) == {
        "tfe_workspace": expected_workspaces,
        "tfe_workspace_settings": expected_settings,
        "tfe_run_trigger": expected_triggers,
        "tfe_variable": expected_variables,
        "tfe_workspace_variable_set": expected_attachments,
    }


def test_data_sources_provider_and_local_state_exactly(synth: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    root, stacks = synth
    bootstrap = stacks[TERRAFORM_CLOUD_STACK]
    assert without_metadata(bootstrap["data"]) == {
        "tfe_project": {"project": {"name": "Platform", "organization": "acme"}},
        "tfe_variable_set": {
            f"variable_set_{slug}": {"name": name, "organization": "acme"} for name, slug in VARIABLE_SETS.items()
        },
    }
    assert bootstrap["provider"] == {"tfe": [{"organization": "acme"}]}
    assert bootstrap["terraform"]["required_providers"]["tfe"]["source"] == "hashicorp/tfe"
    # Local state in the project root, by a path relative to the stack's folder (not in a workspace).
    assert bootstrap["terraform"]["backend"] == {"local": {"path": "../../../terraform.terraform-cloud.tfstate"}}
    state = root / "cdktf.out" / "stacks" / TERRAFORM_CLOUD_STACK / bootstrap["terraform"]["backend"]["local"]["path"]
    assert state.resolve() == (root / "terraform.terraform-cloud.tfstate").resolve()
    # The other stacks keep their state in the workspaces this stack makes.
    cloud = stacks["demo-entra"]["terraform"]["cloud"]
    assert cloud == {"organization": "acme", "workspaces": {"name": "k8s-demo-entra"}}


def test_no_workspace_shares_its_state_with_the_organization(bootstrap: dict[str, Any]) -> None:
    settings = bootstrap["resource"]["tfe_workspace_settings"]
    assert {entry["global_remote_state"] for entry in settings.values()} == {False}
    shared = {
        name.removeprefix("settings_"): entry["remote_state_consumer_ids"]
        for name, entry in settings.items()
        if entry["remote_state_consumer_ids"]
    }
    assert shared == {cluster: [workspace(pair) for pair in pairs] for cluster, pairs in CONSUMERS.items()}
    assert not any("global_remote_state" in entry for entry in bootstrap["resource"]["tfe_workspace"].values())


def test_no_run_applies_without_a_person(bootstrap: dict[str, Any]) -> None:
    assert {w["auto_apply_run_trigger"] for w in bootstrap["resource"]["tfe_workspace"].values()} == {False}
    assert {s["auto_apply"] for s in bootstrap["resource"]["tfe_workspace_settings"].values()} == {False}


def test_the_secret_is_a_sensitive_variable_and_never_in_the_json(
    synth: tuple[Path, dict[str, dict[str, Any]]], bootstrap: dict[str, Any]
) -> None:
    assert bootstrap["variable"] == {
        "google_workspace_client_secret": {
            "description": "Client secret of the Google Workspace Desktop-app OAuth client, put into the "
            "sensitive workspace variable google_workspace_client_secret of its stacks",
            "nullable": False,
            "sensitive": True,
            "type": "string",
        }
    }
    (variable,) = bootstrap["resource"]["tfe_variable"].values()
    assert variable["sensitive"] is True
    assert variable["value"] == "${var.google_workspace_client_secret}"
    root, _ = synth
    for path in (root / "cdktf.out").rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


def test_a_local_backend_makes_no_bootstrap_stack(tmp_path: Path) -> None:
    local = re.sub(r"^backend:\n(  .*\n)+", "backend: {type: local}\n", CONFIG, flags=re.MULTILINE)
    config = config_from_text(local, tmp_path)
    assert TERRAFORM_CLOUD_STACK not in config.stack_names()
    cloud = config_from_text(CONFIG, tmp_path)
    assert cloud.stack_names() == [TERRAFORM_CLOUD_STACK, *STACKS]


def test_triggers_follow_the_apps_stack_dependencies_along_a_chain(tmp_path: Path) -> None:
    """The EKS pair chain (contract 4) as the App expresses it: stack dependencies. Each pair is triggered by
    the one before it only, not also by the first (that would queue both runs at once)."""
    config = config_from_text(
        "version: 1\n"
        "backend: {type: cloud, organization: acme}\n"
        "identity_providers:\n"
        "  okta: {type: okta}\n"
        "  entra: {type: entra_id, security_groups: [k8s-admins]}\n"
        "  jc: {type: jumpcloud, client_id: abc}\n"
        "clusters:\n"
        "  data: {type: gke, project: acme-data, location: us-west1, cluster_name: d,\n"
        "         identity_providers: [okta, entra, jc]}\n",
        tmp_path,
    )
    app = cdktf.Testing.app()
    first, second, third = (cdktf.TerraformStack(app, name) for name in ("data-okta", "data-entra", "data-jc"))
    second.add_dependency(first)
    third.add_dependency(second)
    third.add_dependency(first)
    stack = TerraformCloudStack(app, TERRAFORM_CLOUD_STACK, config=config, stacks=[first, second, third])
    triggers = json.loads(cdktf.Testing.synth(stack))["resource"]["tfe_run_trigger"]
    assert {(entry["sourceable_id"], entry["workspace_id"]) for entry in without_metadata(triggers).values()} == {
        (workspace("data-okta"), workspace("data-entra")),
        (workspace("data-entra"), workspace("data-jc")),
    }
    assert "tfe_variable" not in json.loads(cdktf.Testing.synth(stack))["resource"]


def test_run_triggers_are_the_transitive_reduction() -> None:
    assert run_triggers({"a": [], "b": ["a"], "c": ["a", "b"], "d": ["c", "a"], "e": ["a"]}) == [
        ("a", "b"),
        ("b", "c"),
        ("c", "d"),
        ("a", "e"),
    ]
    assert run_triggers({"a": [], "b": []}) == []


def test_several_google_workspace_clients_get_one_secret_variable_each(tmp_path: Path) -> None:
    config = config_from_text(
        "version: 1\n"
        "backend: {type: cloud, organization: acme}\n"
        "identity_providers:\n"
        "  gws: {type: google_workspace, client_id: 1-a.apps.googleusercontent.com}\n"
        "  gws-eu: {type: google_workspace, client_id: 2-b.apps.googleusercontent.com}\n"
        "  okta: {type: okta}\n"
        "clusters:\n"
        # One Google issuer per cluster (a cluster trusts each issuer once).
        "  data: {type: gke, project: acme-data, location: us-west1, cluster_name: d,\n"
        "         identity_providers: [gws, okta]}\n"
        "  eu: {type: gke, project: acme-eu, location: europe-west1, cluster_name: e, identity_providers: [gws-eu]}\n",
        tmp_path,
    )
    assert client_secret_variables(config) == {
        "data-gws": "gws_google_workspace_client_secret",
        "eu-gws-eu": "gws_eu_google_workspace_client_secret",
    }


def test_an_idp_stack_gets_a_workspace_shared_with_exactly_its_pairs_and_triggering_them(tmp_path: Path) -> None:
    """Contract 7: `<idp>-idp` like `<cluster>-cluster`. Its pairs read its state (the cross-stack reads of the
    client id and issuer) and run after it; no other workspace reads it."""
    shared = (Path(__file__).resolve().parents[1] / "fixtures" / "shared_applications.yaml").read_text(encoding="utf-8")
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "onprem-ca.crt").write_bytes(
        (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
    )
    config = config_from_text("backend: {type: cloud, organization: acme}\n" + shared, tmp_path)
    stacks = synth_config(config, tmp_path / "cdktf.out", project_root=tmp_path)
    bootstrap = stacks[TERRAFORM_CLOUD_STACK]["resource"]
    assert "okta-fleet-idp" in {w["name"].removeprefix("k8s-oidc-") for w in bootstrap["tfe_workspace"].values()}
    consumers = {
        name.removeprefix("settings_"): entry["remote_state_consumer_ids"]
        for name, entry in bootstrap["tfe_workspace_settings"].items()
        if entry["remote_state_consumer_ids"]
    }
    okta_pairs = ["prod-okta-fleet", "stage-okta-fleet", "data-okta-fleet", "onprem-okta-fleet"]
    entra_pairs = ["prod-entra-fleet", "data-entra-fleet", "onprem-entra-fleet"]
    assert consumers == {
        "okta-fleet-idp": [workspace(pair) for pair in okta_pairs],
        "entra-fleet-idp": [workspace(pair) for pair in entra_pairs],
        "stage-cluster": [workspace("stage-okta-fleet"), workspace("stage-okta-solo")],
    }
    triggers = {(entry["sourceable_id"], entry["workspace_id"]) for entry in bootstrap["tfe_run_trigger"].values()}
    for idp, pairs in (("okta-fleet-idp", okta_pairs), ("entra-fleet-idp", entra_pairs)):
        assert {target for source, target in triggers if source == workspace(idp)} == set(map(workspace, pairs))
    # The pair's own cloud workspace reads the idp stack's workspace.
    remote = stacks["data-okta-fleet"]["data"]["terraform_remote_state"]["cross-stack-reference-input-okta-fleet-idp"]
    assert remote["backend"] == "remote"
    assert remote["config"]["workspaces"] == {"name": "k8s-oidc-okta-fleet-idp"}

"""What `validate --json` prints (contract 2): every stack in deploy order with the contract's fields,
its dependencies and where its state lives."""

from __future__ import annotations

import json
from pathlib import Path

from stacks.config import load_config, parse_config
from stacks.plan_json import planned_stacks, stacks_json

DEPENDENCIES = Path(__file__).parents[1] / "fixtures" / "dependencies.yaml"
SHARED = Path(__file__).parents[1] / "fixtures" / "shared_applications.yaml"
FIELDS = ["stack", "kind", "cluster", "cluster_type", "identity_provider", "identity_provider_type", "depends_on"]
LOCAL = """\
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: public-id}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
"""


def test_every_stack_in_deploy_order_with_its_dependencies() -> None:
    stacks = planned_stacks(load_config(DEPENDENCIES))
    assert [[entry[field] for field in FIELDS] for entry in stacks] == [
        ["terraform-cloud", "terraform-cloud", None, None, None, None, []],
        ["workforce-pool", "workforce-pool", None, None, None, None, []],
        ["demo-cluster", "cluster", "demo", "eks", None, None, []],
        ["demo-okta-main", "pair", "demo", "eks", "okta-main", "okta", ["demo-cluster"]],
        ["demo-entra", "pair", "demo", "eks", "entra", "entra_id", ["demo-cluster", "demo-okta-main"]],
        ["demo-jc", "pair", "demo", "eks", "jc", "jumpcloud", ["demo-cluster", "demo-entra"]],
        ["fed-cluster", "cluster", "fed", "gke", None, None, []],
        ["fed-okta-main", "pair", "fed", "gke", "okta-main", "okta", ["fed-cluster", "workforce-pool"]],
        ["fed-jc", "pair", "fed", "gke", "jc", "jumpcloud", ["fed-cluster", "workforce-pool"]],
        # Self-managed: no cluster stack and no chain (the API server reads one file for all its IdPs).
        ["onprem-okta-main", "pair", "onprem", "kubernetes", "okta-main", "okta", []],
        ["onprem-jc", "pair", "onprem", "kubernetes", "jc", "jumpcloud", []],
    ]
    # Deploy order: every stack comes after the stacks it depends on.
    seen: set[str] = set()
    for entry in stacks:
        assert set(entry["depends_on"]) <= seen, entry["stack"]
        seen.add(entry["stack"])


def test_a_cloud_backend_names_each_workspace_and_keeps_the_bootstrap_stack_local() -> None:
    stacks = planned_stacks(load_config(DEPENDENCIES))
    backends = {entry["stack"]: entry["backend"] for entry in stacks}
    assert backends["terraform-cloud"] == {"type": "local", "state_file": "terraform.terraform-cloud.tfstate"}
    assert backends["demo-jc"] == {
        "type": "cloud",
        "organization": "acme",
        "hostname": "tfe.acme.internal",
        "workspace": "k8s-demo-jc",
    }
    assert all(backend["type"] == "cloud" for name, backend in backends.items() if name != "terraform-cloud")


def test_a_local_backend_names_each_state_file_and_the_default_host_is_terraform_cloud() -> None:
    (entry,) = planned_stacks(parse_config(LOCAL, Path("oidc.yaml")))
    assert entry["backend"] == {"type": "local", "state_file": "terraform.prod-jc.tfstate"}
    cloud = parse_config(LOCAL + "backend: {type: cloud, organization: acme}\n", Path("oidc.yaml"))
    assert planned_stacks(cloud)[1]["backend"] == {
        "type": "cloud",
        "organization": "acme",
        "hostname": "app.terraform.io",
        "workspace": "k8s-oidc-prod-jc",
    }


def test_the_json_has_exactly_the_contract_fields() -> None:
    (entry,) = json.loads(stacks_json(parse_config(LOCAL, Path("oidc.yaml"))))
    assert entry == {
        "stack": "prod-jc",
        "kind": "pair",
        "cluster": "prod",
        "cluster_type": "eks",
        "identity_provider": "jc",
        "identity_provider_type": "jumpcloud",
        "depends_on": [],
        "backend": {"type": "local", "state_file": "terraform.prod-jc.tfstate"},
    }


def test_a_shared_application_is_an_idp_stack_before_the_pairs_that_depend_on_it() -> None:
    stacks = planned_stacks(load_config(SHARED))
    by_name = {entry["stack"]: entry for entry in stacks}
    assert {name: entry for name, entry in by_name.items() if entry["kind"] == "idp"} == {
        "okta-fleet-idp": {
            "stack": "okta-fleet-idp",
            "kind": "idp",
            "cluster": None,
            "cluster_type": None,
            "identity_provider": "okta-fleet",
            "identity_provider_type": "okta",
            "depends_on": [],
            "backend": {"type": "local", "state_file": "terraform.okta-fleet-idp.tfstate"},
        },
        "entra-fleet-idp": {
            "stack": "entra-fleet-idp",
            "kind": "idp",
            "cluster": None,
            "cluster_type": None,
            "identity_provider": "entra-fleet",
            "identity_provider_type": "entra_id",
            "depends_on": [],
            "backend": {"type": "local", "state_file": "terraform.entra-fleet-idp.tfstate"},
        },
    }
    assert by_name["data-okta-fleet"]["depends_on"] == ["okta-fleet-idp"]
    # Deploy order: every stack comes after the stacks it depends on.
    seen: set[str] = set()
    for entry in stacks:
        assert set(entry["depends_on"]) <= seen, entry["stack"]
        seen.add(entry["stack"])

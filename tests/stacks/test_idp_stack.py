"""Shared applications in the synthesised stacks (DESIGN.md contract 4): one application per shared IdP, in
its stack `<idp>-idp`, and pair stacks that create nothing at the IdP but read its client id and issuer through
cdktf cross-stack references, depend on it, and output the same `oidc_config`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from synth_support import PROJECT_ROOT, config_from_text, synth_config

from constructs_lib.idp import security_rules
from constructs_lib.outputs import OidcConfigOutput
from stacks.config import Config, load_config

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "shared_applications.yaml"
OKTA_PAIRS = ("prod-okta-fleet", "stage-okta-fleet", "data-okta-fleet", "onprem-okta-fleet")
ENTRA_PAIRS = ("prod-entra-fleet", "data-entra-fleet", "onprem-entra-fleet")
REMOTE = re.compile(r"\$\{data\.terraform_remote_state\.cross-stack-reference-input-([a-z0-9-]+)\.outputs\.([^}]+)\}")

Stacks = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Path, Stacks]:
    root = tmp_path_factory.mktemp("shared")
    config = load_config(FIXTURE)
    return config, root, synth_config(config, root / "cdktf.out", project_root=root)


@pytest.fixture(scope="module")
def stacks(synthesised: tuple[Config, Path, Stacks]) -> Stacks:
    return synthesised[2]


def resources(stack: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return list(stack.get("resource", {}).get(resource_type, {}).values())


def every(stacks: Stacks, resource_type: str) -> dict[str, list[dict[str, Any]]]:
    """{stack: its resources of the type}, for the stacks that have any."""
    return {name: found for name, stack in stacks.items() if (found := resources(stack, resource_type))}


def test_one_okta_app_for_kubelogin_per_shared_idp_across_all_stacks(stacks: Stacks) -> None:
    apps = every(stacks, "okta_app_oauth")
    labels = {name: sorted(app["label"] for app in found) for name, found in apps.items()}
    assert labels == {
        "okta-fleet-idp": ["k8s-oidc okta-fleet"],
        # A per-cluster IdP keeps its app per pair stack.
        "stage-okta-solo": ["k8s-oidc stage-okta-solo"],
        # The workforce pool's web client is another client (confidential, for Google's sign-in).
        "workforce-pool": ["k8s-oidc okta-fleet (Google workforce)"],
    }
    (shared,) = apps["okta-fleet-idp"]
    assert (shared["type"], shared["pkce_required"], shared["token_endpoint_auth_method"]) == ("native", True, "none")
    for resource_type in (
        "okta_auth_server",
        "okta_auth_server_claim",
        "okta_auth_server_policy",
        "okta_auth_server_policy_rule",
    ):
        assert set(every(stacks, resource_type)) == {"okta-fleet-idp", "stage-okta-solo", "workforce-pool"}
    (server,) = resources(stacks["okta-fleet-idp"], "okta_auth_server")
    assert (server["name"], server["audiences"]) == ("k8s-oidc okta-fleet", ["api://k8s-oidc/okta-fleet"])
    (policy,) = resources(stacks["okta-fleet-idp"], "okta_auth_server_policy")
    assert policy["name"] == "k8s-oidc okta-fleet"
    assert policy["client_whitelist"] == ["${okta_app_oauth.identity_provider_app_06873EBA.client_id}"]


def test_one_entra_application_per_shared_idp_across_all_stacks(stacks: Stacks) -> None:
    applications = every(stacks, "azuread_application")
    assert {name: [app["display_name"] for app in found] for name, found in applications.items()} == {
        "entra-fleet-idp": ["k8s-oidc entra-fleet"]
    }
    stack = stacks["entra-fleet-idp"]
    assert len(resources(stack, "azuread_service_principal")) == 1
    assert len(resources(stack, "azuread_app_role_assignment")) == 2  # k8s-admins and k8s-viewers
    (application,) = applications["entra-fleet-idp"]
    assert application["optional_claims"]["id_token"] == [
        {"additional_properties": ["cloud_displayname"], "name": "groups"}
    ]


@pytest.mark.parametrize("pair", [*OKTA_PAIRS, *ENTRA_PAIRS])
def test_a_pair_of_a_shared_idp_creates_nothing_at_the_idp(stacks: Stacks, pair: str) -> None:
    stack = stacks[pair]
    assert not [t for t in stack.get("resource", {}) if t.startswith(("okta_", "azuread_"))]
    assert not [t for t in stack.get("data", {}) if t.startswith(("okta_", "azuread_"))]
    assert not {"okta", "azuread"} & set(stack.get("provider", {}))
    assert not {"okta", "azuread"} & set(stack["terraform"].get("required_providers", {}))


def idp_output(stacks: Stacks, value: str) -> tuple[str, str]:
    """The stack a pair's value reads through its cross-stack references (`${data.terraform_remote_state…}`),
    and the value with each reference replaced by the expression that stack outputs for it."""
    read = {match.group(1) for match in REMOTE.finditer(value)}
    assert len(read) == 1, value
    resolved = REMOTE.sub(lambda match: stacks[match.group(1)]["output"][match.group(2)]["value"], value)
    return read.pop(), resolved


@pytest.mark.parametrize(("idp", "pairs"), [("okta-fleet", OKTA_PAIRS), ("entra-fleet", ENTRA_PAIRS)])
def test_every_pair_outputs_the_idp_stacks_oidc_config_through_cross_stack_references(
    stacks: Stacks, idp: str, pairs: tuple[str, ...]
) -> None:
    shared = stacks[f"{idp}-idp"]["output"]["oidc_config"]["value"]
    assert sorted(shared) == sorted(OidcConfigOutput.required_fields())
    for pair in pairs:
        value = stacks[pair]["output"]["oidc_config"]["value"]
        assert sorted(value) == sorted(shared)
        for field in ("client_id", "issuer_url"):
            stack, read = idp_output(stacks, value[field])
            assert (stack, read) == (f"{idp}-idp", shared[field]), (pair, field)
        assert {key: item for key, item in value.items() if key not in ("client_id", "issuer_url")} == {
            key: item for key, item in shared.items() if key not in ("client_id", "issuer_url")
        }


def test_the_client_id_the_idp_stack_outputs_is_its_apps(stacks: Stacks) -> None:
    okta = stacks["okta-fleet-idp"]["output"]["oidc_config"]["value"]
    assert okta["client_id"] == "${okta_app_oauth.identity_provider_app_06873EBA.client_id}"
    assert okta["issuer_url"] == "${okta_auth_server.identity_provider_authorization_server_14EC0A46.issuer}"
    entra = stacks["entra-fleet-idp"]["output"]["oidc_config"]["value"]
    assert entra["client_id"] == "${azuread_application.identity_provider_application_EC0F2B53.client_id}"
    assert entra["issuer_url"].startswith("https://login.microsoftonline.com/${data.azuread_client_config.")


def test_the_eks_trust_reads_the_shared_client_id_and_issuer(stacks: Stacks) -> None:
    for pair, idp in (
        ("prod-okta-fleet", "okta-fleet"),
        ("prod-entra-fleet", "entra-fleet"),
        ("stage-okta-fleet", "okta-fleet"),
    ):
        (config,) = resources(stacks[pair], "aws_eks_identity_provider_config")
        oidc = config["oidc"]
        assert idp_output(stacks, oidc["client_id"])[0] == f"{idp}-idp"
        assert idp_output(stacks, oidc["issuer_url"])[0] == f"{idp}-idp"
        assert oidc["identity_provider_config_name"] == idp


def test_the_cross_stack_read_is_the_idp_stacks_local_state(synthesised: tuple[Config, Path, Stacks]) -> None:
    _, root, stacks = synthesised
    for pair in OKTA_PAIRS:
        remote = stacks[pair]["data"]["terraform_remote_state"]["cross-stack-reference-input-okta-fleet-idp"]
        assert remote["backend"] == "local"
        folder = root / "cdktf.out" / "stacks" / pair
        assert (folder / remote["config"]["path"]).resolve() == root / "terraform.okta-fleet-idp.tfstate"


def test_a_workforce_pair_of_a_shared_idp_does_not_read_its_application(stacks: Stacks) -> None:
    assert "terraform_remote_state" not in stacks["fed-okta-fleet"].get("data", {})


def test_the_manifest_dependencies_are_the_ones_validate_lists(synthesised: tuple[Config, Path, Stacks]) -> None:
    _, root, _ = synthesised
    listed = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "validate", "--json", "--config", str(FIXTURE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    planned = {entry["stack"]: entry["depends_on"] for entry in json.loads(listed.stdout)}
    manifest = json.loads((root / "cdktf.out" / "manifest.json").read_text(encoding="utf-8"))
    synthesised_dependencies = {name: stack.get("dependencies", []) for name, stack in manifest["stacks"].items()}
    assert synthesised_dependencies == planned
    for pair in OKTA_PAIRS:
        assert "okta-fleet-idp" in synthesised_dependencies[pair]
    assert synthesised_dependencies["okta-fleet-idp"] == []


REUSED_SERVER = """\
version: 1
identity_providers:
  okta:
    type: okta
    application: shared
    authorization_server_id: aus1a2b3
    issuer_url: https://acme.okta.com/oauth2/aus1a2b3
clusters:
  a: {type: eks, region: us-west-2, cluster_name: A, identity_providers: [okta]}
  b: {type: eks, region: us-west-2, cluster_name: B, identity_providers: [okta]}
"""


def test_a_reused_authorization_server_gets_the_app_and_a_policy_once(tmp_path: Path) -> None:
    stacks = synth_config(config_from_text(REUSED_SERVER, tmp_path), tmp_path / "cdktf.out", project_root=tmp_path)
    assert set(stacks) == {"okta-idp", "a-okta", "b-okta"}
    shared = stacks["okta-idp"]
    assert "okta_auth_server" not in shared["resource"]
    (policy,) = resources(shared, "okta_auth_server_policy")
    assert policy["auth_server_id"] == "aus1a2b3"
    for pair in ("a-okta", "b-okta"):
        value = stacks[pair]["output"]["oidc_config"]["value"]
        # The issuer is the config's; only the client id is read from the idp stack.
        assert value["issuer_url"] == "https://acme.okta.com/oauth2/aus1a2b3"
        assert idp_output(stacks, value["client_id"])[0] == "okta-idp"


@pytest.mark.parametrize("stack", ["okta-fleet-idp", "entra-fleet-idp"])
def test_the_shared_applications_keep_the_security_rules(stacks: Stacks, stack: str) -> None:
    """The project's rules (`constructs_lib.idp.security_rules`: public client, PKCE, authorization code only,
    assignment required, …) hold for the one application as for a pair's; and a rule that fails on it shows the
    rules do read its resources."""
    assert security_rules.check_stack(stacks[stack]) == []
    broken = json.loads(json.dumps(stacks[stack]))
    for app in broken["resource"].get("okta_app_oauth", {}).values():
        app["pkce_required"] = False
    for app in broken["resource"].get("azuread_service_principal", {}).values():
        app["app_role_assignment_required"] = False
    assert security_rules.check_stack(broken) != []

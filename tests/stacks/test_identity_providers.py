"""build_workforce_client: the confidential web client of each federating IdP, built from the config in
a plain stack (as the workforce-pool stack does), beside kubelogin's public client."""

from __future__ import annotations

import json
from typing import Any

import cdktf
import pytest
from synth_support import config_from_text, new_stack, synth_json

from constructs_lib.idp.security_rules import blocks, check_stack
from constructs_lib.oidc import IdentityProviderType
from stacks.config import Config
from stacks.identity_providers import IDENTITY_PROVIDER_STACKS, build_identity_provider, build_workforce_client

CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/{}"
CONFIG = """\
version: 1
google_workforce_pool: {organization_id: "123456789012", pool_id: k8s-engineers}
identity_providers:
  corp-okta: {type: okta, app_label: Kubernetes}
  entra: {type: entra_id, security_groups: [k8s-admins]}
  corp-jc: {type: jumpcloud, client_id: kubelogin-id, workforce_client_id: web-id}
  gws: {type: google_workspace, client_id: 1-abc.apps.googleusercontent.com}
clusters:
  data:
    type: gke
    auth: workforce_identity
    project: acme-data
    location: us-west1
    cluster_name: data
    identity_providers: [corp-okta, entra, corp-jc]
  legacy: {type: gke, project: acme-data, location: us-west1, cluster_name: legacy, identity_providers: [gws]}
"""
FEDERATED = ("corp-okta", "entra", "corp-jc")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return config_from_text(CONFIG, tmp_path_factory.mktemp("config"))


@pytest.fixture(scope="module")
def clients(config: Config) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every federating IdP's web client in one stack, and that stack's JSON."""
    stack = new_stack()
    built = {name: build_workforce_client(stack, config, name, callback=CALLBACK.format(name)) for name in FEDERATED}
    return built, synth_json(stack)


def body(stack: dict[str, Any], resource: Any) -> dict[str, Any]:
    """The synthesised block of one resource construct."""
    logical_id = cdktf.TerraformStack.of(resource).get_logical_id(resource)
    return stack["resource"][resource.terraform_resource_type][logical_id]


def resolve(scope: Any, value: object) -> Any:
    return cdktf.Tokenization.resolve(
        value, scope=cdktf.TerraformStack.of(scope), resolver=cdktf.DefaultTokenResolver(cdktf.StringConcat())
    )


def test_each_client_has_a_fixed_construct_id_per_idp(clients: tuple[dict[str, Any], dict[str, Any]]) -> None:
    assert {name: client.node.id for name, client in clients[0].items()} == {
        name: f"workforce_client {name}" for name in FEDERATED
    }


def test_okta_gets_a_web_app_named_for_the_workforce_pool_not_the_configs_kubelogin_label(
    clients: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    built, stack = clients
    (app,) = blocks(stack, "resource", "okta_app_oauth").values()
    assert app == body(stack, built["corp-okta"].app)
    assert app["label"] == "k8s-oidc corp-okta (Google workforce)"
    assert (app["type"], app["token_endpoint_auth_method"], app["grant_types"], app["response_types"]) == (
        "web",
        "client_secret_basic",
        ["authorization_code"],
        ["code"],
    )
    assert app["redirect_uris"] == [CALLBACK.format("corp-okta")]
    (server,) = blocks(stack, "resource", "okta_auth_server").values()
    assert server["name"] == "k8s-oidc corp-okta (Google workforce)"


def test_entra_gets_a_web_redirect_uri_and_a_password(clients: tuple[dict[str, Any], dict[str, Any]]) -> None:
    built, stack = clients
    (application,) = blocks(stack, "resource", "azuread_application").values()
    assert application == body(stack, built["entra"].application)
    assert application["display_name"] == "k8s-oidc entra (Google workforce)"
    assert application["web"]["redirect_uris"] == [CALLBACK.format("entra")]
    assert "public_client" not in application
    (password,) = blocks(stack, "resource", "azuread_application_password").values()
    assert password == body(stack, built["entra"].password)


def test_jumpcloud_uses_the_workforce_client_id_and_a_sensitive_variable_for_its_secret(
    clients: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    built, stack = clients
    jumpcloud = built["corp-jc"]
    assert jumpcloud.oidc_config.client_id == "web-id"
    assert jumpcloud.oidc_config.redirect_uris == (CALLBACK.format("corp-jc"),)
    assert list(stack["variable"]) == ["corp_jc_workforce_client_secret"]
    assert stack["variable"]["corp_jc_workforce_client_secret"]["sensitive"] is True
    assert resolve(jumpcloud, jumpcloud.client_secret) == "${var.corp_jc_workforce_client_secret}"


def test_every_client_is_confidential_keeps_the_security_rules_and_puts_no_secret_in_the_json(
    clients: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    built, stack = clients
    assert all(client.client_secret is not None for client in built.values())
    assert all(client.oidc_config.requires_client_secret for client in built.values())
    assert check_stack(stack) == []
    text = json.dumps(stack)
    assert "client_basic_secret" not in text
    assert "default" not in stack["variable"]["corp_jc_workforce_client_secret"]


def test_google_workspace_does_not_federate(config: Config) -> None:
    with pytest.raises(ValueError) as error:
        build_workforce_client(new_stack(), config, "gws", callback=CALLBACK.format("gws"))
    assert str(error.value) == (
        "client_type CONFIDENTIAL_WEB is not available for Google Workspace: its users are Google identities "
        "already and do not federate through a workforce pool; grant them IAM roles directly, or use "
        "PUBLIC_NATIVE for kubelogin"
    )


def test_kubelogins_client_beside_it_stays_public_with_the_configs_label(config: Config) -> None:
    stack = new_stack()
    kubelogin = build_identity_provider(stack, config, "corp-okta", "data-corp-okta")
    web = build_workforce_client(stack, config, "corp-okta", callback=CALLBACK.format("corp-okta"))
    synthesised = synth_json(stack)
    assert len(blocks(synthesised, "resource", "okta_app_oauth")) == 2
    kubelogin_app, web_app = body(synthesised, kubelogin.app), body(synthesised, web.app)  # type: ignore[attr-defined]
    assert (kubelogin_app["type"], kubelogin_app["label"]) == ("native", "Kubernetes")
    assert (web_app["type"], web_app["label"]) == ("web", "k8s-oidc corp-okta (Google workforce)")
    assert kubelogin.client_secret is None
    assert web.client_secret is not None


def test_refresh_tokens_reach_kubelogins_client_only(tmp_path: Any) -> None:
    config = config_from_text(
        CONFIG.replace("app_label: Kubernetes}", "app_label: Kubernetes, refresh_tokens: true}"), tmp_path
    )
    assert config.identity_providers["corp-okta"].refresh_tokens is True
    assert config.scopes("corp-okta") == ("openid", "profile", "email", "groups", "offline_access")
    stack = new_stack()
    kubelogin = build_identity_provider(stack, config, "corp-okta", "data-corp-okta")
    web = build_workforce_client(stack, config, "corp-okta", callback=CALLBACK.format("corp-okta"))
    synthesised = synth_json(stack)
    kubelogin_app, web_app = body(synthesised, kubelogin.app), body(synthesised, web.app)  # type: ignore[attr-defined]
    assert kubelogin_app["grant_types"] == ["authorization_code", "refresh_token"]
    assert kubelogin_app["refresh_token_rotation"] == "ROTATE"
    assert "offline_access" in kubelogin.oidc_config.scopes
    # Google's web sign-in keeps no refresh token: the workforce pool's client gets none.
    assert web_app["grant_types"] == ["authorization_code"]
    assert "refresh_token_rotation" not in web_app
    assert "offline_access" not in web.oidc_config.scopes
    assert check_stack(synthesised) == []


def test_the_idp_table_has_every_type_and_a_provider_block_only_for_what_terraform_creates() -> None:
    assert set(IDENTITY_PROVIDER_STACKS) == set(IdentityProviderType)
    providers = {}
    for idp_type, parts in IDENTITY_PROVIDER_STACKS.items():
        stack = new_stack()
        parts.provider(stack)
        providers[idp_type.value] = sorted(json.loads(cdktf.Testing.synth(stack)).get("provider", {}))
    assert providers == {
        "okta": ["okta"],
        "entra_id": ["azuread"],
        "google_workspace": [],
        "jumpcloud": [],
        "oidc": [],
    }

"""EntraIdOidcApp: a public-client app registration with group names in tokens, a service principal
that requires assignment, and the security groups assigned to it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from idp_synth import only, ref, resolve, resolved_oidc_config, synth_idp
from terraform_hostile import ESCAPED, HOSTILE, URL_ESCAPED, URL_HOSTILE, evaluated

from constructs_lib.idp.entra_id import EntraIdOidcApp
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.idp.security_rules import (
    blocks,
    check_stack,
    entra_app_is_a_public_client_that_requires_assignment,
    entra_web_app_is_a_confidential_client_without_implicit_grant,
)
from constructs_lib.oidc import OidcClientType

GROUPS = ("k8s-admins", "k8s viewers")
CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/entra"


def synth_entra(**overrides: Any) -> tuple[EntraIdOidcApp, dict[str, Any]]:
    return synth_idp(EntraIdOidcApp, EntraIdOidcAppProps(**{"name": "prod-entra", "prefix": "entra:", **overrides}))


@pytest.fixture(scope="module")
def entra() -> tuple[EntraIdOidcApp, dict[str, Any]]:
    return synth_entra(security_groups=GROUPS)


def test_application_is_a_single_tenant_public_client_with_group_names_in_tokens(
    entra: tuple[EntraIdOidcApp, dict[str, Any]],
) -> None:
    application = only(entra[1], "azuread_application")
    groups_claim = [{"name": "groups", "additional_properties": ["cloud_displayname"]}]
    assert application == {
        "display_name": "k8s-oidc prod-entra",
        "sign_in_audience": "AzureADMyOrg",
        "group_membership_claims": ["ApplicationGroup"],
        "fallback_public_client_enabled": False,
        "api": {"requested_access_token_version": 2},
        "public_client": {"redirect_uris": ["http://localhost:8000", "http://localhost:18000"]},
        "web": {"implicit_grant": {"access_token_issuance_enabled": False, "id_token_issuance_enabled": False}},
        "optional_claims": {"access_token": groups_claim, "id_token": groups_claim},
    }


def test_service_principal_is_created_and_requires_assignment(entra: tuple[EntraIdOidcApp, dict[str, Any]]) -> None:
    stack = entra[1]
    assert "azuread_service_principal" not in stack.get("data", {})
    assert only(stack, "azuread_service_principal") == {
        "client_id": ref(stack, "azuread_application", "client_id"),
        "app_role_assignment_required": True,
    }


def test_each_security_group_is_looked_up_by_name_and_assigned_the_default_role(
    entra: tuple[EntraIdOidcApp, dict[str, Any]],
) -> None:
    stack = entra[1]
    groups = blocks(stack, "data", "azuread_group")
    assert sorted((group["display_name"], group["security_enabled"]) for group in groups.values()) == [
        ("k8s viewers", True),
        ("k8s-admins", True),
    ]
    assignments = blocks(stack, "resource", "azuread_app_role_assignment").values()
    assert sorted(assignment["principal_object_id"] for assignment in assignments) == sorted(
        f"${{data.azuread_group.{name}.object_id}}" for name in groups
    )
    principal = ref(stack, "azuread_service_principal", "object_id")
    for assignment in assignments:
        assert assignment["app_role_id"] == "00000000-0000-0000-0000-000000000000"
        assert assignment["resource_object_id"] == principal


def test_no_groups_no_assignments() -> None:
    stack = synth_entra()[1]
    assert "azuread_app_role_assignment" not in stack["resource"]
    assert "azuread_group" not in stack["data"]


def test_uses_azuread_v3_names_only(entra: tuple[EntraIdOidcApp, dict[str, Any]]) -> None:
    assert "application_id" not in json.dumps(entra[1])


def test_security_rule_holds(entra: tuple[EntraIdOidcApp, dict[str, Any]]) -> None:
    assert entra_app_is_a_public_client_that_requires_assignment(entra[1]) == []


def test_oidc_config_is_the_tenant_v2_issuer_and_the_upn(entra: tuple[EntraIdOidcApp, dict[str, Any]]) -> None:
    construct, stack = entra
    tenant_id = ref(stack, "azuread_client_config", "tenant_id", kind="data")
    assert resolved_oidc_config(construct) == {
        "client_id": ref(stack, "azuread_application", "client_id"),
        "issuer_url": f"https://login.microsoftonline.com/{tenant_id}/v2.0",
        "user_claim": "preferred_username",
        "groups_claim": "groups",
        "username_prefix": "entra:",
        "groups_prefix": "entra:",
        "scopes": ["openid", "profile", "email"],
        "pkce_method": "S256",
        "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
        "requires_client_secret": False,
    }
    assert construct.client_secret is None


def test_an_issuer_override_replaces_the_tenant_lookup() -> None:
    construct, stack = synth_entra(issuer_url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0")
    assert construct.oidc_config.issuer_url == "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
    assert "azuread_client_config" not in stack.get("data", {})


def test_display_name_and_redirect_ports_are_configurable() -> None:
    stack = synth_entra(display_name="Kubernetes", redirect_uris=("http://localhost:9000",))[1]
    application = only(stack, "azuread_application")
    assert application["display_name"] == "Kubernetes"
    assert application["public_client"] == {"redirect_uris": ["http://localhost:9000"]}


# --- CONFIDENTIAL_WEB: the web client a Google workforce pool signs in with -------------------------


@pytest.fixture(scope="module")
def web() -> tuple[EntraIdOidcApp, dict[str, Any]]:
    return synth_entra(client_type=OidcClientType.CONFIDENTIAL_WEB, redirect_uris=(CALLBACK,), security_groups=GROUPS)


def test_web_application_redirects_to_the_callback_on_the_web_platform_without_implicit_grant(
    web: tuple[EntraIdOidcApp, dict[str, Any]],
) -> None:
    groups_claim = [{"name": "groups", "additional_properties": ["cloud_displayname"]}]
    assert only(web[1], "azuread_application") == {
        "display_name": "k8s-oidc prod-entra (Google workforce)",
        "sign_in_audience": "AzureADMyOrg",
        "group_membership_claims": ["ApplicationGroup"],
        "fallback_public_client_enabled": False,
        "api": {"requested_access_token_version": 2},
        "web": {
            "redirect_uris": [CALLBACK],
            "implicit_grant": {"access_token_issuance_enabled": False, "id_token_issuance_enabled": False},
        },
        "optional_claims": {"access_token": groups_claim, "id_token": groups_claim},
    }


def test_web_application_gets_a_password_whose_value_is_the_secret_and_never_in_the_json(
    web: tuple[EntraIdOidcApp, dict[str, Any]],
) -> None:
    construct, stack = web
    # The application's resource id (`/applications/<object id>`), as azuread v3 wants, not its client id.
    assert only(stack, "azuread_application_password") == {
        "application_id": ref(stack, "azuread_application", "id"),
        "display_name": "Google workforce pool",
    }
    assert resolve(construct, construct.client_secret) == ref(stack, "azuread_application_password", "value")
    assert "variable" not in stack


def test_web_application_keeps_assignment_required_and_the_group_assignments(
    web: tuple[EntraIdOidcApp, dict[str, Any]],
) -> None:
    stack = web[1]
    assert only(stack, "azuread_service_principal")["app_role_assignment_required"] is True
    assert len(blocks(stack, "resource", "azuread_app_role_assignment")) == len(GROUPS)


def test_web_applications_oidc_config_is_the_tenant_issuer_and_needs_the_secret(
    web: tuple[EntraIdOidcApp, dict[str, Any]],
) -> None:
    construct, stack = web
    config = resolved_oidc_config(construct)
    assert (
        config["issuer_url"]
        == f"https://login.microsoftonline.com/{ref(stack, 'azuread_client_config', 'tenant_id', kind='data')}/v2.0"
    )
    assert config["client_id"] == ref(stack, "azuread_application", "client_id")
    assert (config["redirect_uris"], config["requires_client_secret"], config["groups_claim"]) == (
        [CALLBACK],
        True,
        "groups",
    )


def test_web_security_rules_hold(web: tuple[EntraIdOidcApp, dict[str, Any]]) -> None:
    assert entra_web_app_is_a_confidential_client_without_implicit_grant(web[1]) == []
    assert check_stack(web[1]) == []


def test_a_public_client_has_no_password(entra: tuple[EntraIdOidcApp, dict[str, Any]]) -> None:
    assert "azuread_application_password" not in entra[1]["resource"]
    assert entra[0].password is None


def test_every_literal_string_reaches_terraform_as_itself() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a prop is text, never an expression."""
    construct, stack = synth_entra(
        name=HOSTILE,
        prefix=HOSTILE,
        security_groups=(HOSTILE, "k8s-admins"),
        redirect_uris=(f"http://localhost:8000/{URL_HOSTILE}",),
        issuer_url=f"https://login.microsoftonline.com/{URL_HOSTILE}/v2.0",
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
        scopes=("openid", HOSTILE),
    )
    assert evaluated(stack) == []
    application = only(stack, "azuread_application")
    assert application["display_name"] == f"k8s-oidc {ESCAPED}"
    assert application["public_client"]["redirect_uris"] == [f"http://localhost:8000/{URL_ESCAPED}"]
    groups = blocks(stack, "data", "azuread_group").values()
    assert sorted(group["display_name"] for group in groups) == sorted([ESCAPED, "k8s-admins"])
    output = resolved_oidc_config(construct)
    claims_and_prefixes = ("user_claim", "groups_claim", "username_prefix", "groups_prefix")
    assert {key: output[key] for key in claims_and_prefixes} == dict.fromkeys(claims_and_prefixes, ESCAPED)
    assert output["issuer_url"] == f"https://login.microsoftonline.com/{URL_ESCAPED}/v2.0"
    assert output["scopes"] == ["openid", ESCAPED]
    assert output["redirect_uris"] == [f"http://localhost:8000/{URL_ESCAPED}"]
    assert output["client_id"] == ref(stack, "azuread_application", "client_id")


def test_a_given_display_name_and_web_redirects_reach_terraform_as_themselves() -> None:
    _, stack = synth_entra(
        display_name=HOSTILE,
        client_type=OidcClientType.CONFIDENTIAL_WEB,
        redirect_uris=(f"{CALLBACK}/{URL_HOSTILE}",),
    )
    assert evaluated(stack) == []
    application = only(stack, "azuread_application")
    assert application["display_name"] == ESCAPED
    assert application["web"]["redirect_uris"] == [f"{CALLBACK}/{URL_ESCAPED}"]

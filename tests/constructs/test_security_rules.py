"""Each security rule: compliant on what the constructs synthesise, and a finding for each way of
breaking it (cdk-nag style: a passing and a failing case per rule)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from idp_synth import synth_idp

from constructs_lib.idp import security_rules
from constructs_lib.idp.entra_id import EntraIdOidcApp, EntraIdOidcAppProps
from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient, GoogleWorkspaceOidcClientProps
from constructs_lib.idp.okta import OktaOidcApp, OktaOidcAppProps

Stack = dict[str, Any]


@pytest.fixture(scope="module")
def compliant() -> dict[str, Stack]:
    """One stack per rule family, as the constructs make them."""
    return {
        "okta": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:"))[1],
        "entra": synth_idp(
            EntraIdOidcApp, EntraIdOidcAppProps(name="p", prefix="entra:", security_groups=("k8s-admins",))
        )[1],
        "google": synth_idp(
            GoogleWorkspaceOidcClient,
            GoogleWorkspaceOidcClientProps(name="p", prefix="gws:", client_id="1-a.apps.googleusercontent.com"),
        )[1],
    }


def first(stack: Stack, type_: str, kind: str = "resource") -> dict[str, Any]:
    return next(iter(security_rules.blocks(stack, kind, type_).values()))


def set_in_first(type_: str, key: str, value: object) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        first(stack, type_)[key] = value

    return mutate


def add_output(sensitive: bool | None) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        output: dict[str, Any] = {"value": {"secret": "${var.google_workspace_client_secret}"}}
        if sensitive is not None:
            output["sensitive"] = sensitive
        stack["output"] = {"leak": output}

    return mutate


def rename_to_application_id(stack: Stack) -> None:
    principal = first(stack, "azuread_service_principal")
    principal["application_id"] = principal.pop("client_id")


def unsensitive_variable(stack: Stack) -> None:
    stack["variable"]["google_workspace_client_secret"]["sensitive"] = False


def web_redirect(stack: Stack) -> None:
    first(stack, "azuread_application")["web"]["redirect_uris"] = ["http://localhost:8000/"]


def implicit_id_tokens(stack: Stack) -> None:
    first(stack, "azuread_application")["web"]["implicit_grant"]["id_token_issuance_enabled"] = True


RULE_CASES = [
    (security_rules.okta_app_is_a_public_client_with_pkce, "okta"),
    (security_rules.okta_policy_admits_only_its_app_by_authorization_code, "okta"),
    (security_rules.entra_app_is_a_public_client_that_requires_assignment, "entra"),
    (security_rules.secrets_stay_sensitive, "google"),
]

BREAKAGES: list[tuple[Callable[[Stack], list[security_rules.Finding]], str, Callable[[Stack], None], str]] = [
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta",
        set_in_first("okta_app_oauth", "pkce_required", False),
        "pkce_required is False",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta",
        set_in_first("okta_app_oauth", "token_endpoint_auth_method", "client_secret_basic"),
        "token_endpoint_auth_method is 'client_secret_basic'",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", "implicit"]),
        "grant_types is ['authorization_code', 'implicit']",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta",
        set_in_first("okta_app_oauth", "response_types", ["code", "token"]),
        "response_types is ['code', 'token']",
    ),
    (
        security_rules.okta_policy_admits_only_its_app_by_authorization_code,
        "okta",
        set_in_first("okta_auth_server_policy", "client_whitelist", ["ALL_CLIENTS"]),
        "client_whitelist is ['ALL_CLIENTS']",
    ),
    (
        security_rules.okta_policy_admits_only_its_app_by_authorization_code,
        "okta",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", ["authorization_code", "password"]),
        "grant_type_whitelist is ['authorization_code', 'password']",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra",
        set_in_first("azuread_application", "single_page_application", {"redirect_uris": ["http://localhost:8000/"]}),
        "redirect URIs on the single-page-application platform",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra",
        web_redirect,
        "redirect URIs on the web platform",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra",
        implicit_id_tokens,
        "implicit grant enabled",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra",
        set_in_first("azuread_application", "fallback_public_client_enabled", True),
        "fallback_public_client_enabled (device code / password flows)",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra",
        set_in_first("azuread_service_principal", "app_role_assignment_required", False),
        "app_role_assignment_required is not true",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra",
        rename_to_application_id,
        "uses `application_id` (azuread v3: `client_id`)",
    ),
    (security_rules.secrets_stay_sensitive, "google", unsensitive_variable, "holds a secret but is not sensitive"),
    (
        security_rules.secrets_stay_sensitive,
        "google",
        add_output(sensitive=None),
        "references sensitive var.google_workspace_client_secret but is not sensitive",
    ),
    (
        security_rules.secrets_stay_sensitive,
        "google",
        add_output(sensitive=False),
        "references sensitive var.google_workspace_client_secret but is not sensitive",
    ),
]


@pytest.mark.parametrize(("rule", "family"), RULE_CASES, ids=[rule.__name__ for rule, _ in RULE_CASES])
def test_rule_passes_on_what_the_constructs_make(
    rule: Callable[[Stack], list[security_rules.Finding]], family: str, compliant: dict[str, Stack]
) -> None:
    assert rule(compliant[family]) == []
    assert security_rules.check_stack(compliant[family]) == []


@pytest.mark.parametrize(
    ("rule", "family", "mutate", "message"),
    BREAKAGES,
    ids=[f"{rule.__name__}-{message}" for rule, _, _, message in BREAKAGES],
)
def test_rule_reports_each_breakage(
    rule: Callable[[Stack], list[security_rules.Finding]],
    family: str,
    mutate: Callable[[Stack], None],
    message: str,
    compliant: dict[str, Stack],
) -> None:
    broken = copy.deepcopy(compliant[family])
    mutate(broken)
    findings = rule(broken)
    assert [finding.message for finding in findings] == [message]
    assert findings[0].rule == rule.__name__
    assert findings == [finding for finding in security_rules.check_stack(broken) if finding.rule == rule.__name__]


def test_a_sensitive_output_of_the_secret_passes(compliant: dict[str, Stack]) -> None:
    stack = copy.deepcopy(compliant["google"])
    add_output(sensitive=True)(stack)
    assert security_rules.secrets_stay_sensitive(stack) == []

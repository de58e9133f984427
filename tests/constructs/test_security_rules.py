"""Each security rule: compliant on what the constructs synthesise, and a finding for each way of
breaking it (cdk-nag style: a passing and a failing case per rule)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from idp_synth import synth_idp

from constructs_lib.idp import security_rules
from constructs_lib.idp.entra_id import EntraIdOidcApp
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.jumpcloud import JumpCloudOidcClient
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.idp.okta import OktaOidcApp
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.oidc import OidcClientType

Stack = dict[str, Any]
CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/p"
WEB: dict[str, Any] = {"client_type": OidcClientType.CONFIDENTIAL_WEB, "redirect_uris": (CALLBACK,)}


@pytest.fixture(scope="module")
def compliant() -> dict[str, Stack]:
    """One stack per rule family, as the constructs make them."""
    return {
        "okta": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:"))[1],
        "okta_refresh": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:", refresh_tokens=True))[1],
        "okta_device": synth_idp(
            OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:", refresh_tokens=True, device_code=True)
        )[1],
        "entra": synth_idp(
            EntraIdOidcApp, EntraIdOidcAppProps(name="p", prefix="entra:", security_groups=("k8s-admins",))
        )[1],
        "google": synth_idp(
            GoogleWorkspaceOidcClient,
            GoogleWorkspaceOidcClientProps(name="p", prefix="gws:", client_id="1-a.apps.googleusercontent.com"),
        )[1],
        "okta_web": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:", **WEB))[1],
        "entra_web": synth_idp(
            EntraIdOidcApp, EntraIdOidcAppProps(name="p", prefix="entra:", security_groups=("k8s-admins",), **WEB)
        )[1],
        "jumpcloud_web": synth_idp(
            JumpCloudOidcClient, JumpCloudOidcClientProps(name="p", prefix="jc:", client_id="web-id", **WEB)
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


def drop_from_first(type_: str, key: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        del first(stack, type_)[key]

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


def web_redirect_of_web_app(uri: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        first(stack, "azuread_application")["web"]["redirect_uris"] = [uri]

    return mutate


def add_public_client(stack: Stack) -> None:
    first(stack, "azuread_application")["public_client"] = {"redirect_uris": ["http://localhost:8000"]}


def default_secret(value: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        stack["variable"]["p_workforce_client_secret"]["default"] = value

    return mutate


def secret_variable_without_sensitive(stack: Stack) -> None:
    del stack["variable"]["google_workspace_client_secret"]["sensitive"]


NOT_A_WEB_REDIRECT = [
    "http://k8s.example.com/callback",  # public host, but plain http: the code would travel in the clear
    "https://localhost/callback",
    "https://[::1]/callback",
    "https:///callback",  # no host at all
]


RULE_CASES = [
    (security_rules.okta_app_is_a_public_client_with_pkce, "okta"),
    (security_rules.okta_app_is_a_public_client_with_pkce, "okta_refresh"),
    (security_rules.okta_policy_admits_only_its_app_by_authorization_code, "okta_refresh"),
    (security_rules.okta_app_is_a_public_client_with_pkce, "okta_device"),
    (security_rules.okta_policy_admits_only_its_app_by_authorization_code, "okta_device"),
    (security_rules.okta_web_app_is_a_confidential_client_with_authorization_code_only, "okta_web"),
    (security_rules.okta_policy_admits_only_its_app_by_authorization_code, "okta"),
    (security_rules.okta_policy_admits_only_its_app_by_authorization_code, "okta_web"),
    (security_rules.entra_app_is_a_public_client_that_requires_assignment, "entra"),
    (security_rules.entra_app_is_a_public_client_that_requires_assignment, "entra_web"),
    (security_rules.entra_web_app_is_a_confidential_client_without_implicit_grant, "entra_web"),
    (security_rules.secrets_stay_sensitive, "google"),
    (security_rules.secrets_stay_sensitive, "jumpcloud_web"),
]
OKTA_WEB_RULE = security_rules.okta_web_app_is_a_confidential_client_with_authorization_code_only
ENTRA_WEB_RULE = security_rules.entra_web_app_is_a_confidential_client_without_implicit_grant

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
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta_refresh",
        set_in_first("okta_app_oauth", "refresh_token_rotation", "STATIC"),
        "refresh_token_rotation is 'STATIC'",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta_device",
        set_in_first("okta_app_oauth", "refresh_token_rotation", "STATIC"),
        "refresh_token_rotation is 'STATIC'",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta_device",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", security_rules.DEVICE_CODE, "password"]),
        "grant_types is ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code', 'password']",
    ),
    (
        security_rules.okta_policy_admits_only_its_app_by_authorization_code,
        "okta_device",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", [security_rules.DEVICE_CODE]),
        "grant_type_whitelist is ['urn:ietf:params:oauth:grant-type:device_code']",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", "refresh_token"]),
        "refresh_token_rotation is None",
    ),
    (
        security_rules.okta_app_is_a_public_client_with_pkce,
        "okta_refresh",
        set_in_first("okta_app_oauth", "grant_types", ["refresh_token"]),
        "grant_types is ['refresh_token']",
    ),
    (
        security_rules.okta_policy_admits_only_its_app_by_authorization_code,
        "okta_refresh",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", ["refresh_token", "implicit"]),
        "grant_type_whitelist is ['refresh_token', 'implicit']",
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
    (
        OKTA_WEB_RULE,
        "okta_web",
        set_in_first("okta_app_oauth", "token_endpoint_auth_method", "none"),
        "token_endpoint_auth_method is 'none'",
    ),
    (
        OKTA_WEB_RULE,
        "okta_web",
        set_in_first("okta_app_oauth", "grant_types", ["authorization_code", "implicit"]),
        "grant_types is ['authorization_code', 'implicit']",
    ),
    (
        OKTA_WEB_RULE,
        "okta_web",
        set_in_first("okta_app_oauth", "response_types", ["code", "id_token"]),
        "response_types is ['code', 'id_token']",
    ),
    (OKTA_WEB_RULE, "okta_web", set_in_first("okta_app_oauth", "omit_secret", True), "omit_secret is True"),
    (
        OKTA_WEB_RULE,
        "okta_web",
        set_in_first("okta_app_oauth", "redirect_uris", ["http://localhost:8000"]),
        "redirect URI 'http://localhost:8000' is not an https URL of a public host",
    ),
    (
        OKTA_WEB_RULE,
        "okta_web",
        set_in_first("okta_app_oauth", "redirect_uris", ["https://127.0.0.1/callback"]),
        "redirect URI 'https://127.0.0.1/callback' is not an https URL of a public host",
    ),
    (OKTA_WEB_RULE, "okta_web", set_in_first("okta_app_oauth", "redirect_uris", []), "no redirect_uris"),
    (
        security_rules.okta_policy_admits_only_its_app_by_authorization_code,
        "okta_web",
        set_in_first("okta_auth_server_policy_rule", "grant_type_whitelist", ["authorization_code", "implicit"]),
        "grant_type_whitelist is ['authorization_code', 'implicit']",
    ),
    (
        ENTRA_WEB_RULE,
        "entra_web",
        web_redirect_of_web_app("http://localhost:8000/"),
        "redirect URI 'http://localhost:8000/' is not an https URL of a public host",
    ),
    (ENTRA_WEB_RULE, "entra_web", implicit_id_tokens, "implicit grant enabled"),
    (
        ENTRA_WEB_RULE,
        "entra_web",
        set_in_first("azuread_application", "single_page_application", {"redirect_uris": ["https://a.example/"]}),
        "redirect URIs on the single-page-application platform",
    ),
    (
        ENTRA_WEB_RULE,
        "entra_web",
        set_in_first("azuread_application", "fallback_public_client_enabled", True),
        "fallback_public_client_enabled (device code / password flows)",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra_web",
        add_public_client,
        "redirect URIs on the web platform",
    ),
    (
        security_rules.entra_app_is_a_public_client_that_requires_assignment,
        "entra_web",
        set_in_first("azuread_service_principal", "app_role_assignment_required", False),
        "app_role_assignment_required is not true",
    ),
    (security_rules.secrets_stay_sensitive, "google", unsensitive_variable, "holds a secret but is not sensitive"),
    (
        security_rules.secrets_stay_sensitive,
        "jumpcloud_web",
        default_secret("hunter2"),
        "holds a secret but has a default value",
    ),
    # Even an empty default: the secret would silently become optional.
    (
        security_rules.secrets_stay_sensitive,
        "jumpcloud_web",
        default_secret(""),
        "holds a secret but has a default value",
    ),
    (
        security_rules.secrets_stay_sensitive,
        "google",
        secret_variable_without_sensitive,
        "holds a secret but is not sensitive",
    ),
    # azuread's default is false: a service principal that doesn't say so lets every user of the tenant in.
    *[
        (
            security_rules.entra_app_is_a_public_client_that_requires_assignment,
            family,
            mutate,
            "app_role_assignment_required is not true",
        )
        for family in ("entra", "entra_web")
        for mutate in (
            drop_from_first("azuread_service_principal", "app_role_assignment_required"),
            set_in_first("azuread_service_principal", "app_role_assignment_required", None),
        )
    ],
    *[
        (OKTA_WEB_RULE, "okta_web", set_in_first("okta_app_oauth", "redirect_uris", [uri]), message)
        for uri in [*NOT_A_WEB_REDIRECT, None]
        for message in [f"redirect URI {uri!r} is not an https URL of a public host"]
    ],
    *[
        (
            ENTRA_WEB_RULE,
            "entra_web",
            web_redirect_of_web_app(uri),
            f"redirect URI {uri!r} is not an https URL of a public host",
        )
        for uri in NOT_A_WEB_REDIRECT
    ],
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


@pytest.mark.parametrize(
    ("rule", "family"), RULE_CASES, ids=[f"{rule.__name__}-{family}" for rule, family in RULE_CASES]
)
def test_rule_passes_on_what_the_constructs_make(
    rule: Callable[[Stack], list[security_rules.Finding]], family: str, compliant: dict[str, Stack]
) -> None:
    assert rule(compliant[family]) == []
    assert security_rules.check_stack(compliant[family]) == []


@pytest.mark.parametrize(
    ("rule", "family", "mutate", "message"),
    BREAKAGES,
    ids=[f"{rule.__name__}-{family}-{message}" for rule, family, _, message in BREAKAGES],
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


def test_a_kubelogin_app_turned_into_a_web_app_is_caught_by_the_web_rule(compliant: dict[str, Stack]) -> None:
    stack = copy.deepcopy(compliant["okta"])
    set_in_first("okta_app_oauth", "type", "web")(stack)
    assert security_rules.okta_app_is_a_public_client_with_pkce(stack) == []
    assert [finding.message for finding in OKTA_WEB_RULE(stack)] == [
        "token_endpoint_auth_method is 'none'",
        "omit_secret is True",
        "redirect URI 'http://localhost:8000' is not an https URL of a public host",
        "redirect URI 'http://localhost:18000' is not an https URL of a public host",
    ]


@pytest.mark.parametrize(
    ("family", "type_", "attribute"),
    [("okta_web", "okta_app_oauth", "client_secret"), ("entra_web", "azuread_application_password", "value")],
)
@pytest.mark.parametrize("sensitive", [None, False, True])
def test_an_output_of_a_secret_attribute_must_be_sensitive(
    family: str, type_: str, attribute: str, sensitive: bool | None, compliant: dict[str, Stack]
) -> None:
    stack = copy.deepcopy(compliant[family])
    (name,) = security_rules.blocks(stack, "resource", type_)
    output: dict[str, Any] = {"value": f"${{{type_}.{name}.{attribute}}}"}
    if sensitive is not None:
        output["sensitive"] = sensitive
    stack["output"] = {"leak": output}
    expected = [] if sensitive else [f"references sensitive {type_}.{name}.{attribute} but is not sensitive"]
    assert [finding.message for finding in security_rules.secrets_stay_sensitive(stack)] == expected


def test_an_application_password_may_name_its_application_by_application_id(compliant: dict[str, Stack]) -> None:
    """azuread v3's `application_id` of a password is the application's resource id, not the v2 name."""
    assert "application_id" in first(compliant["entra_web"], "azuread_application_password")
    assert security_rules.entra_app_is_a_public_client_that_requires_assignment(compliant["entra_web"]) == []


def test_variables_not_named_like_secrets_are_not_held_to_the_secret_rules(compliant: dict[str, Stack]) -> None:
    """A plain setting may have a default, be non-sensitive and be shown in a plain output."""
    stack = copy.deepcopy(compliant["google"])
    stack["variable"]["region"] = {"type": "string", "default": "us-west-2"}
    stack["output"] = {"region": {"value": "${var.region}"}}
    assert security_rules.secrets_stay_sensitive(stack) == []


@pytest.mark.parametrize(
    "uri",
    ["https://auth.cloud.google/signin-callback/x", "https://k8s.example.com:8443/callback"],
)
def test_https_urls_of_public_hosts_are_web_redirects(uri: str) -> None:
    assert security_rules.is_web_redirect_uri(uri)

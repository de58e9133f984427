"""OktaOidcApp: a native public client with PKCE and no secret; its authorization server (created, or
reused) and an access policy admitting only this app by the authorization code flow."""

from __future__ import annotations

import copy
import json
from typing import Any

import cdktf
import pytest
from idp_synth import only, ref, resolve, resolved_oidc_config, synth_idp
from synth_support import new_stack, synth_json
from terraform_hostile import ESCAPED, HOSTILE, evaluated

from constructs_lib.idp.okta import OktaOidcApp
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.idp.security_rules import (
    check_stack,
    okta_app_is_a_public_client_with_pkce,
    okta_policy_admits_only_its_app_by_authorization_code,
    okta_web_app_is_a_confidential_client_with_authorization_code_only,
)
from constructs_lib.oidc import OidcClientType

REUSED_ISSUER = "https://acme.okta.com/oauth2/aus1a2b3"
CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/okta"
WEB = {"client_type": OidcClientType.CONFIDENTIAL_WEB, "redirect_uris": (CALLBACK,)}


def synth_okta(**overrides: Any) -> tuple[OktaOidcApp, dict[str, Any]]:
    return synth_idp(OktaOidcApp, OktaOidcAppProps(**{"name": "prod-okta", "prefix": "okta:", **overrides}))


@pytest.fixture(scope="module")
def created() -> tuple[OktaOidcApp, dict[str, Any]]:
    return synth_okta(group_filter_regex="k8s-.*")


@pytest.fixture(scope="module")
def reused() -> tuple[OktaOidcApp, dict[str, Any]]:
    return synth_okta(authorization_server_id="aus1a2b3", issuer_url=REUSED_ISSUER, app_label="Kubernetes prod")


def test_app_is_a_native_public_client_with_pkce_and_authorization_code_only(
    created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    app = only(created[1], "okta_app_oauth")
    assert app["type"] == "native"
    assert app["token_endpoint_auth_method"] == "none"
    assert app["pkce_required"] is True
    assert app["omit_secret"] is True
    assert app["grant_types"] == ["authorization_code"]
    assert app["response_types"] == ["code"]
    assert "client_basic_secret" not in app
    assert app["label"] == "k8s-oidc prod-okta"


def test_app_registers_every_redirect_port_for_sign_in_and_logout(
    created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    app = only(created[1], "okta_app_oauth")
    assert app["redirect_uris"] == ["http://localhost:8000", "http://localhost:18000"]
    assert app["post_logout_redirect_uris"] == ["http://localhost:8000", "http://localhost:18000"]


def test_created_server_releases_filtered_group_names_under_the_groups_scope(
    created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    stack = created[1]
    server_id = ref(stack, "okta_auth_server", "id")
    assert only(stack, "okta_auth_server")["audiences"] == ["api://k8s-oidc/prod-okta"]
    assert only(stack, "okta_auth_server_scope") == {
        "auth_server_id": server_id,
        "name": "groups",
        "consent": "IMPLICIT",
        "metadata_publish": "ALL_CLIENTS",
    }
    assert only(stack, "okta_auth_server_claim") == {
        "auth_server_id": server_id,
        "name": "groups",
        "claim_type": "IDENTITY",
        "value_type": "GROUPS",
        "group_filter_type": "REGEX",
        "value": "k8s-.*",
        "always_include_in_token": True,
        "scopes": ["groups"],
    }


def test_policy_admits_only_this_app_by_authorization_code(created: tuple[OktaOidcApp, dict[str, Any]]) -> None:
    stack = created[1]
    policy = only(stack, "okta_auth_server_policy")
    assert policy["client_whitelist"] == [ref(stack, "okta_app_oauth", "client_id")]
    assert policy["auth_server_id"] == ref(stack, "okta_auth_server", "id")
    rule = only(stack, "okta_auth_server_policy_rule")
    assert rule["policy_id"] == ref(stack, "okta_auth_server_policy", "id")
    assert rule["auth_server_id"] == ref(stack, "okta_auth_server", "id")
    assert rule["grant_type_whitelist"] == ["authorization_code"]
    assert rule["scope_whitelist"] == ["openid", "profile", "email", "groups"]
    assert rule["group_whitelist"] == ["EVERYONE"]


def test_oidc_config_of_a_created_server_is_its_issuer_and_the_app_client_id(
    created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    construct, stack = created
    assert resolved_oidc_config(construct) == {
        "client_id": ref(stack, "okta_app_oauth", "client_id"),
        "issuer_url": ref(stack, "okta_auth_server", "issuer"),
        "user_claim": "email",
        "groups_claim": "groups",
        "username_prefix": "okta:",
        "groups_prefix": "okta:",
        "scopes": ["openid", "profile", "email", "groups"],
        "pkce_method": "S256",
        "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
        "requires_client_secret": False,
    }
    assert construct.client_secret is None


def test_reused_server_gets_only_the_app_and_a_policy_scoped_to_it(
    reused: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    construct, stack = reused
    assert set(stack["resource"]) == {"okta_app_oauth", "okta_auth_server_policy", "okta_auth_server_policy_rule"}
    assert only(stack, "okta_auth_server_policy")["auth_server_id"] == "aus1a2b3"
    assert only(stack, "okta_auth_server_policy")["client_whitelist"] == [ref(stack, "okta_app_oauth", "client_id")]
    assert only(stack, "okta_auth_server_policy_rule")["auth_server_id"] == "aus1a2b3"
    assert only(stack, "okta_app_oauth")["label"] == "Kubernetes prod"
    assert construct.oidc_config.issuer_url == REUSED_ISSUER
    assert construct.authorization_server is None


@pytest.mark.parametrize("fixture", ["created", "reused"])
def test_security_rules_hold(fixture: str, request: pytest.FixtureRequest) -> None:
    stack = request.getfixturevalue(fixture)[1]
    assert okta_app_is_a_public_client_with_pkce(stack) == []
    assert okta_policy_admits_only_its_app_by_authorization_code(stack) == []


def test_overridden_scopes_become_the_policy_rule_whitelist() -> None:
    construct, stack = synth_okta(scopes=("openid", "email", "groups"))
    assert only(stack, "okta_auth_server_policy_rule")["scope_whitelist"] == ["openid", "email", "groups"]
    assert construct.oidc_config.scopes == ("openid", "email", "groups")


@pytest.mark.parametrize(
    "overrides",
    [{}, {"authorization_server_id": "aus1a2b3", "issuer_url": REUSED_ISSUER}],
    ids=["created-server", "reused-server"],
)
def test_refresh_tokens_add_the_rotating_refresh_grant_and_offline_access_and_nothing_else(
    overrides: dict[str, Any],
) -> None:
    construct, stack = synth_okta(**overrides, refresh_tokens=True)
    _, without = synth_okta(**overrides)
    expected = copy.deepcopy(without)
    app = next(iter(expected["resource"]["okta_app_oauth"].values()))
    app["grant_types"] = ["authorization_code", "refresh_token"]
    app["refresh_token_rotation"] = "ROTATE"
    rule = next(iter(expected["resource"]["okta_auth_server_policy_rule"].values()))
    rule["grant_type_whitelist"] = ["authorization_code", "refresh_token"]
    rule["scope_whitelist"] = ["openid", "profile", "email", "groups", "offline_access"]
    assert stack == expected
    assert construct.oidc_config.scopes == ("openid", "profile", "email", "groups", "offline_access")
    assert okta_app_is_a_public_client_with_pkce(stack) == []
    assert okta_policy_admits_only_its_app_by_authorization_code(stack) == []


@pytest.mark.parametrize(
    "overrides",
    [{}, {"authorization_server_id": "aus1a2b3", "issuer_url": REUSED_ISSUER}],
    ids=["created-server", "reused-server"],
)
def test_device_code_adds_the_device_grant_to_app_and_rule_and_nothing_else(overrides: dict[str, Any]) -> None:
    construct, stack = synth_okta(**overrides, device_code=True)
    _, without = synth_okta(**overrides)
    expected = copy.deepcopy(without)
    device = "urn:ietf:params:oauth:grant-type:device_code"
    next(iter(expected["resource"]["okta_app_oauth"].values()))["grant_types"] = ["authorization_code", device]
    rule = next(iter(expected["resource"]["okta_auth_server_policy_rule"].values()))
    rule["grant_type_whitelist"] = ["authorization_code", device]
    assert stack == expected
    assert construct.oidc_config.scopes == ("openid", "profile", "email", "groups")
    app = only(stack, "okta_app_oauth")
    # Still a public client with PKCE: no secret, no implicit or password grant.
    assert (app["token_endpoint_auth_method"], app["pkce_required"], app["omit_secret"]) == ("none", True, True)
    assert okta_app_is_a_public_client_with_pkce(stack) == []
    assert okta_policy_admits_only_its_app_by_authorization_code(stack) == []


def test_device_code_with_refresh_tokens_allows_both() -> None:
    _, stack = synth_okta(device_code=True, refresh_tokens=True)
    grants = ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"]
    assert only(stack, "okta_app_oauth")["grant_types"] == grants
    assert only(stack, "okta_auth_server_policy_rule")["grant_type_whitelist"] == grants


def test_without_refresh_tokens_the_app_has_no_rotation_setting(created: tuple[OktaOidcApp, dict[str, Any]]) -> None:
    assert "refresh_token_rotation" not in only(created[1], "okta_app_oauth")


def test_refresh_tokens_keep_overridden_scopes_and_add_offline_access_once() -> None:
    construct, stack = synth_okta(scopes=("openid", "groups"), refresh_tokens=True)
    assert construct.oidc_config.scopes == ("openid", "groups", "offline_access")
    assert only(stack, "okta_auth_server_policy_rule")["scope_whitelist"] == ["openid", "groups", "offline_access"]
    construct, _ = synth_okta(scopes=("openid", "offline_access", "groups"), refresh_tokens=True)
    assert construct.oidc_config.scopes == ("openid", "offline_access", "groups")


def test_overridden_groups_claim_names_the_created_claim() -> None:
    construct, stack = synth_okta(groups_claim="k8s_groups")
    assert only(stack, "okta_auth_server_claim")["name"] == "k8s_groups"
    assert construct.oidc_config.groups_claim == "k8s_groups"


# --- CONFIDENTIAL_WEB: the web client a Google workforce pool signs in with -------------------------


@pytest.fixture(scope="module")
def web_created() -> tuple[OktaOidcApp, dict[str, Any]]:
    return synth_okta(**WEB)


@pytest.fixture(scope="module")
def web_reused() -> tuple[OktaOidcApp, dict[str, Any]]:
    return synth_okta(**WEB, authorization_server_id="aus1a2b3", issuer_url=REUSED_ISSUER)


def test_web_app_is_a_confidential_client_with_authorization_code_only_and_the_exact_callback(
    web_created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    assert only(web_created[1], "okta_app_oauth") == {
        "label": "k8s-oidc prod-okta (Google workforce)",
        "type": "web",
        "token_endpoint_auth_method": "client_secret_basic",
        "pkce_required": False,
        "omit_secret": False,
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "redirect_uris": [CALLBACK],
    }


def test_web_app_secret_is_the_apps_generated_secret_and_never_a_value_in_the_json(
    web_created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    construct, stack = web_created
    assert resolve(construct, construct.client_secret) == ref(stack, "okta_app_oauth", "client_secret")
    assert "client_basic_secret" not in json.dumps(stack)
    assert "variable" not in stack


def test_web_app_gets_its_own_server_with_the_groups_claim_and_a_policy_for_it_alone(
    web_created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    stack = web_created[1]
    server = only(stack, "okta_auth_server")
    assert server["name"] == "k8s-oidc prod-okta (Google workforce)"
    assert server["description"] == "Issues ID tokens for Google workforce pool sign-in (gcloud, GKE)"
    assert only(stack, "okta_auth_server_scope")["name"] == "groups"
    claim = only(stack, "okta_auth_server_claim")
    assert (claim["name"], claim["value_type"], claim["scopes"]) == ("groups", "GROUPS", ["groups"])
    policy = only(stack, "okta_auth_server_policy")
    assert policy["client_whitelist"] == [ref(stack, "okta_app_oauth", "client_id")]
    assert policy["name"] == "k8s-oidc prod-okta (Google workforce)"
    rule = only(stack, "okta_auth_server_policy_rule")
    assert rule["name"] == "authorization code with client secret"
    assert rule["grant_type_whitelist"] == ["authorization_code"]
    assert rule["scope_whitelist"] == ["openid", "profile", "email", "groups"]


def test_web_apps_oidc_config_is_the_servers_issuer_and_needs_the_secret(
    web_created: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    construct, stack = web_created
    assert resolved_oidc_config(construct) == {
        "client_id": ref(stack, "okta_app_oauth", "client_id"),
        "issuer_url": ref(stack, "okta_auth_server", "issuer"),
        "user_claim": "email",
        "groups_claim": "groups",
        "username_prefix": "okta:",
        "groups_prefix": "okta:",
        "scopes": ["openid", "profile", "email", "groups"],
        "pkce_method": "S256",
        "redirect_uris": [CALLBACK],
        "requires_client_secret": True,
    }


def test_web_app_on_a_reused_server_gets_a_policy_and_rule_there(
    web_reused: tuple[OktaOidcApp, dict[str, Any]],
) -> None:
    construct, stack = web_reused
    assert set(stack["resource"]) == {"okta_app_oauth", "okta_auth_server_policy", "okta_auth_server_policy_rule"}
    assert only(stack, "okta_auth_server_policy")["auth_server_id"] == "aus1a2b3"
    assert only(stack, "okta_auth_server_policy")["client_whitelist"] == [ref(stack, "okta_app_oauth", "client_id")]
    assert only(stack, "okta_auth_server_policy_rule")["auth_server_id"] == "aus1a2b3"
    assert only(stack, "okta_app_oauth")["type"] == "web"
    assert construct.oidc_config.issuer_url == REUSED_ISSUER
    assert resolve(construct, construct.client_secret) == ref(stack, "okta_app_oauth", "client_secret")


@pytest.mark.parametrize("fixture", ["web_created", "web_reused"])
def test_web_security_rules_hold(fixture: str, request: pytest.FixtureRequest) -> None:
    stack = request.getfixturevalue(fixture)[1]
    assert okta_web_app_is_a_confidential_client_with_authorization_code_only(stack) == []
    assert check_stack(stack) == []


def test_a_given_label_names_the_web_app() -> None:
    assert only(synth_okta(**WEB, app_label="GKE sign-in")[1], "okta_app_oauth")["label"] == "GKE sign-in"


def test_an_empty_label_of_a_web_app_names_the_web_default() -> None:
    with pytest.raises(ValueError) as error:
        OktaOidcAppProps(name="prod-okta", prefix="okta:", app_label="", **WEB)  # type: ignore[arg-type]
    assert (
        str(error.value) == "app_label must not be empty, got ''; omit it for 'k8s-oidc prod-okta (Google workforce)'"
    )


def test_every_literal_string_reaches_terraform_as_itself_and_tokens_stay_tokens() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a prop is text, never an expression."""
    construct, stack = synth_okta(
        name=HOSTILE,
        prefix=HOSTILE,
        app_label=HOSTILE,
        group_filter_regex=HOSTILE,
        redirect_uris=(f"http://localhost:8000/{HOSTILE}",),
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
        scopes=("openid", "groups", HOSTILE),
    )
    assert evaluated(stack) == []
    app = only(stack, "okta_app_oauth")
    assert app["label"] == ESCAPED
    assert app["redirect_uris"] == app["post_logout_redirect_uris"] == [f"http://localhost:8000/{ESCAPED}"]
    server = only(stack, "okta_auth_server")
    assert (server["name"], server["audiences"]) == (f"k8s-oidc {ESCAPED}", [f"api://k8s-oidc/{ESCAPED}"])
    claim = only(stack, "okta_auth_server_claim")
    assert (claim["name"], claim["value"]) == (ESCAPED, ESCAPED)
    assert only(stack, "okta_auth_server_policy")["name"] == f"k8s-oidc {ESCAPED}"
    assert only(stack, "okta_auth_server_policy_rule")["scope_whitelist"] == ["openid", "groups", ESCAPED]
    output = resolved_oidc_config(construct)
    claims_and_prefixes = ("user_claim", "groups_claim", "username_prefix", "groups_prefix")
    assert {key: output[key] for key in claims_and_prefixes} == dict.fromkeys(claims_and_prefixes, ESCAPED)
    assert output["scopes"] == ["openid", "groups", ESCAPED]
    assert output["redirect_uris"] == [f"http://localhost:8000/{ESCAPED}"]
    assert output["client_id"] == ref(stack, "okta_app_oauth", "client_id")
    assert output["issuer_url"] == ref(stack, "okta_auth_server", "issuer")
    # What the construct hands on (to a cluster construct, which escapes it itself) stays as given.
    assert construct.oidc_config.user_claim == HOSTILE


def test_a_reused_server_id_mixing_text_and_a_token_is_escaped_around_the_token() -> None:
    stack = new_stack()
    server = cdktf.TerraformVariable(stack, "server", type="string").string_value
    construct = OktaOidcApp(
        stack,
        "idp",
        props=OktaOidcAppProps(
            name="p",
            prefix="okta:",
            authorization_server_id=f"{HOSTILE}{server}",
            issuer_url=f"https://acme.okta.com/{HOSTILE}/oauth2/{server}",
        ),
    )
    document = synth_json(stack)
    assert evaluated(document) == []
    assert only(document, "okta_auth_server_policy")["auth_server_id"] == f"{ESCAPED}${{var.server}}"
    assert only(document, "okta_auth_server_policy_rule")["auth_server_id"] == f"{ESCAPED}${{var.server}}"
    assert resolved_oidc_config(construct)["issuer_url"] == f"https://acme.okta.com/{ESCAPED}/oauth2/${{var.server}}"

"""JumpCloudOidcClient: nothing to create; a public client whose issuer keeps JumpCloud's trailing
slash (go-oidc compares issuers character for character)."""

from __future__ import annotations

from typing import Any

import pytest
from idp_synth import resolve, synth_idp
from terraform_hostile import ESCAPED, HOSTILE, URL_ESCAPED, URL_HOSTILE, evaluated

from constructs_lib.idp.jumpcloud import JumpCloudOidcClient
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.idp.security_rules import check_stack
from constructs_lib.oidc import OidcClientType, workforce_client_secret_variable

CLIENT_ID = "5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/data-jc"
WEB = {"client_type": OidcClientType.CONFIDENTIAL_WEB, "redirect_uris": (CALLBACK,)}


def synth_jumpcloud(**overrides: Any) -> tuple[JumpCloudOidcClient, dict[str, Any]]:
    props = JumpCloudOidcClientProps(**{"name": "data-jc", "prefix": "jc:", "client_id": CLIENT_ID, **overrides})
    return synth_idp(JumpCloudOidcClient, props)


def test_creates_nothing_and_yields_a_public_pkce_client_of_jumpclouds_issuer() -> None:
    construct, stack = synth_jumpcloud()
    assert not {"resource", "data", "provider", "variable"} & set(stack)
    assert construct.oidc_config.as_output() == {
        "client_id": CLIENT_ID,
        "issuer_url": "https://oauth.id.jumpcloud.com/",
        "user_claim": "email",
        "groups_claim": "groups",
        "username_prefix": "jc:",
        "groups_prefix": "jc:",
        "scopes": ["openid", "profile", "email"],
        "pkce_method": "S256",
        "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
        "requires_client_secret": False,
    }
    assert construct.client_secret is None


def test_eu_orgs_override_the_issuer() -> None:
    construct, _ = synth_jumpcloud(issuer_url="https://oauth.id.eu.jumpcloud.com/")
    assert construct.oidc_config.issuer_url == "https://oauth.id.eu.jumpcloud.com/"


# --- CONFIDENTIAL_WEB: the web app made by hand for a Google workforce pool ------------------------


def test_web_client_declares_its_secret_as_a_sensitive_variable_named_after_the_client() -> None:
    construct, stack = synth_jumpcloud(**WEB)
    assert not {"resource", "data", "provider", "output"} & set(stack)
    assert stack["variable"] == {
        "data_jc_workforce_client_secret": {
            "type": "string",
            "sensitive": True,
            "nullable": False,
            "description": f"Client secret of the JumpCloud web OIDC app {CLIENT_ID} that the Google workforce "
            "pool signs in with",
        }
    }
    assert resolve(construct, construct.client_secret) == "${var.data_jc_workforce_client_secret}"
    assert check_stack(stack) == []


def test_web_clients_oidc_config_is_the_given_client_and_needs_the_secret() -> None:
    construct, _ = synth_jumpcloud(**WEB)
    config = construct.oidc_config
    assert (config.client_id, config.issuer_url, config.groups_claim) == (
        CLIENT_ID,
        "https://oauth.id.jumpcloud.com/",
        "groups",
    )
    assert (config.redirect_uris, config.requires_client_secret) == ((CALLBACK,), True)


@pytest.mark.parametrize(
    ("name", "variable"),
    [
        ("corp-jc", "corp_jc_workforce_client_secret"),
        ("jc", "jc_workforce_client_secret"),
        ("prod jc.eu", "prod_jc_eu_workforce_client_secret"),
    ],
)
def test_the_secret_variable_is_the_name_made_a_shell_safe_identifier(name: str, variable: str) -> None:
    assert workforce_client_secret_variable(name) == variable
    props = JumpCloudOidcClientProps(name=name, prefix="jc:", client_id=CLIENT_ID, **WEB)  # type: ignore[arg-type]
    assert props.client_secret_variable == variable


def test_a_web_client_name_must_not_start_with_a_digit() -> None:
    with pytest.raises(ValueError) as error:
        JumpCloudOidcClientProps(name="1jc", prefix="jc:", client_id=CLIENT_ID, **WEB)  # type: ignore[arg-type]
    assert str(error.value) == (
        "name '1jc' must not start with a digit for a confidential web client: it names the Terraform variable "
        "'1jc_workforce_client_secret' that carries the client secret; e.g. the IdP's name 'corp-jc'"
    )


def test_every_literal_string_reaches_the_output_as_itself() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a prop is text, never an expression."""
    construct, stack = synth_jumpcloud(
        prefix=HOSTILE,
        client_id=HOSTILE,
        issuer_url=f"https://oauth.id.jumpcloud.com/{URL_HOSTILE}/",
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
        scopes=("openid", HOSTILE),
        redirect_uris=(f"http://localhost:8000/{URL_HOSTILE}",),
    )
    assert evaluated(stack) == []
    assert construct.oidc_config.as_output() == {
        "client_id": ESCAPED,
        "issuer_url": f"https://oauth.id.jumpcloud.com/{URL_ESCAPED}/",
        "user_claim": ESCAPED,
        "groups_claim": ESCAPED,
        "username_prefix": ESCAPED,
        "groups_prefix": ESCAPED,
        "scopes": ["openid", ESCAPED],
        "pkce_method": "S256",
        "redirect_uris": [f"http://localhost:8000/{URL_ESCAPED}"],
        "requires_client_secret": False,
    }


def test_a_web_clients_secret_variable_describes_the_client_id_as_it_is() -> None:
    """Terraform takes a variable's description literally: an escape there would show as `$${`."""
    _, stack = synth_jumpcloud(client_id=HOSTILE, **WEB)
    (variable,) = stack["variable"].values()
    assert f"web OIDC app {HOSTILE} that" in variable["description"]

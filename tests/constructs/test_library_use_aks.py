"""The constructs as a library, on AKS: a team's own CDKTF stack, built from the public API of
`constructs_lib` alone, makes an existing AKS cluster trust its Keycloak realm (a private CA) and Okta."""

from __future__ import annotations

import base64
import json
from typing import Any

import cdktf
import pytest
from aks_team_stack import CA_PEM, TeamAksStack

from constructs_lib.idp.security_rules import blocks, check_stack


@pytest.fixture(scope="module")
def team_stack() -> dict[str, Any]:
    return json.loads(cdktf.Testing.synth(TeamAksStack(cdktf.Testing.app(), "apps")))  # type: ignore[no-any-return]


def test_the_cluster_trusts_both_issuers_through_one_authenticator_each(team_stack: dict[str, Any]) -> None:
    authenticators = {body["name"]: body for body in blocks(team_stack, "resource", "azapi_resource").values()}
    assert set(authenticators) == {"keycloak", "oktamain"}
    keycloak = authenticators["keycloak"]["body"]["properties"]
    assert keycloak["issuer"] == {"url": "https://sso.acme.internal/realms/eng", "audiences": ["kubernetes"]}
    assert keycloak["certificateAuthorityBundle"] == CA_PEM.decode()
    (server,) = blocks(team_stack, "resource", "okta_auth_server")
    (app,) = blocks(team_stack, "resource", "okta_app_oauth")
    assert authenticators["oktamain"]["body"]["properties"]["issuer"] == {
        "url": f"${{okta_auth_server.{server}.issuer}}",
        "audiences": [f"${{okta_app_oauth.{app}.client_id}}"],
    }
    assert "certificateAuthorityBundle" not in authenticators["oktamain"]["body"]["properties"]


def test_the_outputs_carry_the_private_ca_and_the_cluster_from_azure(team_stack: dict[str, Any]) -> None:
    assert (
        team_stack["output"]["keycloak_oidc_config"]["value"]["certificate_authority_data"]
        == base64.b64encode(CA_PEM).decode()
    )
    cluster = team_stack["output"]["cluster"]["value"]
    assert (cluster["type"], cluster["name"]) == ("aks", "apps-aks")
    assert cluster["endpoint"].startswith("${nonsensitive(yamldecode(base64decode(data.azapi_resource_action.")


def test_the_teams_stack_keeps_the_security_rules(team_stack: dict[str, Any]) -> None:
    assert check_stack(team_stack) == []
    assert set(team_stack["provider"]) == {"azapi", "okta"}

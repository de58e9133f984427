"""The constructs as a library: a team's own CDKTF stack, built from the public API of `constructs_lib`
alone (no YAML, no `stacks/`), wires an Okta app into an existing EKS cluster."""

from __future__ import annotations

import json
from typing import Any

import cdktf
import pytest
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_okta.provider import OktaProvider

import constructs_lib
from constructs_lib.idp.security_rules import blocks, check_stack


class TeamStack(cdktf.TerraformStack):
    """What docs/library.md's "Use the constructs in your own CDKTF app" example builds."""

    def __init__(self, scope: cdktf.App, name: str) -> None:
        super().__init__(scope, name)
        AwsProvider(self, "aws_provider", region="eu-west-1")
        OktaProvider(self, "okta_provider")
        okta = constructs_lib.OktaOidcApp(
            self,
            "okta",
            props=constructs_lib.OktaOidcAppProps(name="payments-prod", prefix="okta:", group_filter_regex="k8s-.*"),
        )
        cluster = constructs_lib.EksCluster.from_cluster_name(
            self, "cluster", cluster_name="payments-prod", region="eu-west-1"
        )
        constructs_lib.EksOidcIdentityProvider(
            self,
            "oidc",
            props=constructs_lib.EksOidcIdentityProviderProps(
                cluster=cluster, oidc_config=okta.oidc_config, config_name="okta"
            ),
        )
        cdktf.TerraformOutput(self, "issuer", value=okta.oidc_config.issuer_url)


@pytest.fixture(scope="module")
def team_stack() -> dict[str, Any]:
    return json.loads(cdktf.Testing.synth(TeamStack(cdktf.Testing.app(), "payments")))  # type: ignore[no-any-return]


def single(stack: dict[str, Any], kind: str, type_: str) -> tuple[str, dict[str, Any]]:
    ((name, body),) = blocks(stack, kind, type_).items()
    return name, body


def test_the_eks_identity_provider_trusts_the_okta_servers_issuer_and_app(team_stack: dict[str, Any]) -> None:
    app_name, _ = single(team_stack, "resource", "okta_app_oauth")
    server_name, _ = single(team_stack, "resource", "okta_auth_server")
    cluster_name, _ = single(team_stack, "data", "aws_eks_cluster")
    _, provider_config = single(team_stack, "resource", "aws_eks_identity_provider_config")
    assert provider_config["cluster_name"] == f"${{data.aws_eks_cluster.{cluster_name}.name}}"
    oidc = provider_config["oidc"]
    assert oidc["client_id"] == f"${{okta_app_oauth.{app_name}.client_id}}"
    assert oidc["issuer_url"] == f"${{okta_auth_server.{server_name}.issuer}}"
    assert (oidc["username_claim"], oidc["groups_claim"]) == ("email", "groups")
    assert (oidc["username_prefix"], oidc["groups_prefix"]) == ("okta:", "okta:")
    assert oidc["identity_provider_config_name"] == "okta"
    assert team_stack["output"]["issuer"]["value"] == oidc["issuer_url"]


def test_the_teams_stack_keeps_the_security_rules(team_stack: dict[str, Any]) -> None:
    assert check_stack(team_stack) == []
    assert set(team_stack["provider"]) == {"aws", "okta"}


def test_every_advertised_name_resolves_to_what_it_names() -> None:
    exported = {name: getattr(constructs_lib, name) for name in constructs_lib.__all__}
    assert {name: getattr(value, "__name__", name) for name, value in exported.items()} == {
        name: name for name in exported
    }
    with pytest.raises(AttributeError):
        _ = constructs_lib.NotAnExport  # type: ignore[attr-defined]

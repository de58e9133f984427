"""A team's own CDKTF stack on AKS, built from the public API of `constructs_lib` alone: an existing AKS
cluster trusting a Keycloak realm behind a private CA and an Okta app (library use, and a pair-like stack
for checkov)."""

from __future__ import annotations

import base64
from pathlib import Path

import cdktf
from cdktf_cdktf_provider_okta.provider import OktaProvider

import constructs_lib

CA_PEM = (Path(__file__).resolve().parent / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()


class TeamAksStack(cdktf.TerraformStack):
    def __init__(self, scope: cdktf.App, name: str) -> None:
        super().__init__(scope, name)
        constructs_lib.AzapiProvider(self, "azapi")
        OktaProvider(self, "okta_provider")
        cluster = constructs_lib.ExistingAksCluster(
            self,
            "apps_aks",
            props=constructs_lib.ExistingAksClusterProps(
                subscription_id="00000000-0000-0000-0000-000000000000",
                resource_group="rg-apps",
                cluster_name="apps-aks",
            ),
        )
        keycloak = constructs_lib.GenericOidcClient(
            self,
            "keycloak",
            props=constructs_lib.GenericOidcClientProps(
                name="apps-keycloak",
                prefix="kc:",
                issuer_url="https://sso.acme.internal/realms/eng",
                client_id="kubernetes",
                certificate_authority_data=base64.b64encode(CA_PEM).decode(),
            ),
        )
        okta = constructs_lib.OktaOidcApp(
            self, "okta", props=constructs_lib.OktaOidcAppProps(name="apps-okta", prefix="okta:")
        )
        for idp_name, idp in (("keycloak", keycloak), ("okta-main", okta)):
            constructs_lib.AksJwtAuthenticator(
                self,
                f"{idp_name}_authenticator",
                props=constructs_lib.AksJwtAuthenticatorProps(
                    cluster=cluster,
                    oidc_config=idp.oidc_config,
                    name=constructs_lib.jwt_authenticator_name(idp_name),
                ),
            )
        cdktf.TerraformOutput(self, "cluster", value=constructs_lib.cluster_output(cluster))
        cdktf.TerraformOutput(self, "keycloak_oidc_config", value=keycloak.oidc_config.as_output())

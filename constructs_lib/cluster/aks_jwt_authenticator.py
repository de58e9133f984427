"""The AKS side of the trust: one JWT authenticator (structured authentication, preview) for one IdP's
`OidcConfig`, an `azapi_resource` child of the cluster (there is no azurerm resource for it).

The authenticator takes the issuer and the client id as its one audience, maps claims through CEL
(`aks_claim_mappings`: every username and group `aks:jwt:<prefix><name>`), validates `email_verified` when
the email is the username, and trusts the issuer's private CA when the IdP has one. Creating, changing or
deleting one updates the cluster, which refuses a concurrent update: one cluster's authenticators are
applied one after the other (`locks` does that within one Terraform run).
"""

from __future__ import annotations

import cdktf
from constructs import Construct

from constructs_lib.azapi_bindings import AzapiResource
from constructs_lib.cluster.aks_claim_mappings import claim_validation_rules, groups_expression, username_expression
from constructs_lib.cluster.aks_jwt_authenticator_props import (
    JWT_AUTHENTICATOR_API_VERSION,
    JWT_AUTHENTICATOR_TYPE,
    AksJwtAuthenticatorProps,
    certificate_authority_bundle,
)
from constructs_lib.terraform_literals import escaped
from constructs_lib.tokens import is_literal


def authenticator_properties(props: AksJwtAuthenticatorProps) -> dict[str, object]:
    """The authenticator's `properties`, values as given (literal strings not yet escaped for Terraform)."""
    oidc = props.oidc_config
    claim_mappings: dict[str, object] = {
        "username": {"expression": username_expression(prefix=oidc.username_prefix, user_claim=oidc.user_claim)}
    }
    if oidc.groups_claim is not None:
        claim_mappings["groups"] = {
            "expression": groups_expression(prefix=oidc.groups_prefix, groups_claim=oidc.groups_claim)
        }
    properties: dict[str, object] = {
        "issuer": {"url": oidc.issuer_url, "audiences": [oidc.client_id]},
        "claimMappings": claim_mappings,
    }
    rules = claim_validation_rules(user_claim=oidc.user_claim)
    if rules:
        properties["claimValidationRules"] = rules
    data = oidc.certificate_authority_data
    if data is not None:
        properties["certificateAuthorityBundle"] = (
            certificate_authority_bundle(data) if is_literal(data) else cdktf.Fn.base64decode(data)
        )
    return properties


class AksJwtAuthenticator(Construct):
    """Makes an AKS cluster accept the ID tokens of one IdP application.

    Attribute: `authenticator` (the `azapi_resource` of type `…/managedClusters/jwtAuthenticators`).
    """

    def __init__(self, scope: Construct, id_: str, *, props: AksJwtAuthenticatorProps) -> None:
        super().__init__(scope, id_)
        cluster_id = escaped(props.cluster.resource_id)  # a token for ExistingAksCluster; any other may give a literal
        self.authenticator = AzapiResource(
            self,
            "authenticator",
            type=f"{JWT_AUTHENTICATOR_TYPE}@{JWT_AUTHENTICATOR_API_VERSION}",
            name=escaped(props.name),
            parent_id=cluster_id,
            body={"properties": escaped(authenticator_properties(props))},
            locks=[cluster_id],
            # azapi 2.12 embeds the schemas up to 2026-05-02-preview: it would refuse this API version as
            # unknown. tests/constructs/test_aks_jwt_authenticator_schema.py checks the body against Azure's
            # published schema of the version instead.
            schema_validation_enabled=False,
        )

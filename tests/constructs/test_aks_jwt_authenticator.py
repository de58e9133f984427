"""AksJwtAuthenticator: the `azapi_resource` it synthesises (a child of the cluster, named per AKS's rule,
its body the issuer, the CEL claim mappings, the email_verified rule and the CA bundle), and every literal
string reaching Terraform as itself. The body's fields are checked against Azure's published schema in
test_aks_jwt_authenticator_schema.py; the CEL expressions are evaluated in test_aks_claim_mappings.py."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import cdktf
from aks_support import CA_PEM, OIDC
from cel_expr_python import cel
from cluster_synth import Stack, only, ref
from synth_support import new_stack, synth_json
from terraform_hostile import HOSTILE, evaluated

from constructs_lib.cluster.aks_cluster import ExistingAksCluster
from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
from constructs_lib.cluster.aks_jwt_authenticator import AksJwtAuthenticator
from constructs_lib.cluster.aks_jwt_authenticator_props import AksJwtAuthenticatorProps
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.oidc import OidcConfig

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
USERNAME = "'aks:jwt:' + 'sso:' + claims.email"
GROUPS = (
    "'groups' in claims ? (type(claims.groups) == string ? [claims.groups] : claims.groups)"
    ".map(group, 'aks:jwt:' + 'sso:' + group) : []"
)
EMAIL_VERIFIED = {
    "expression": "!has(claims.email_verified) || claims.email_verified == true",
    "message": "the identity provider says the email address is not verified (email_verified is false)",
}


def synth_authenticator(oidc: OidcConfig = OIDC, name: str = "sso") -> Stack:
    stack = new_stack()
    cluster = ExistingAksCluster(
        stack,
        "aks",
        props=ExistingAksClusterProps(subscription_id=SUBSCRIPTION, resource_group="rg-apps", cluster_name="apps-aks"),
    )
    AksJwtAuthenticator(stack, "sso", props=AksJwtAuthenticatorProps(cluster=cluster, oidc_config=oidc, name=name))
    return synth_json(stack)


def body_properties(stack: Stack) -> dict[str, Any]:
    return only(stack, "azapi_resource")["body"]["properties"]  # type: ignore[no-any-return]


def test_the_authenticator_is_a_child_of_the_cluster_named_per_aks() -> None:
    stack = synth_authenticator()
    cluster_id = ref(stack, "azapi_resource", "id", kind="data")
    authenticator = only(stack, "azapi_resource")
    assert {key: value for key, value in authenticator.items() if key != "body"} == {
        "type": "Microsoft.ContainerService/managedClusters/jwtAuthenticators@2026-06-02-preview",
        "name": "sso",
        "parent_id": cluster_id,
        "locks": [cluster_id],
        "schema_validation_enabled": False,
    }


def test_the_body_trusts_the_issuer_for_the_client_and_maps_claims_in_cel() -> None:
    assert body_properties(synth_authenticator()) == {
        "issuer": {"url": "https://sso.acme.internal/realms/eng", "audiences": ["kubernetes"]},
        "claimMappings": {"username": {"expression": USERNAME}, "groups": {"expression": GROUPS}},
        "claimValidationRules": [EMAIL_VERIFIED],
    }


def test_no_groups_claim_maps_no_groups_and_another_user_claim_needs_no_rule() -> None:
    oidc = dataclasses.replace(OIDC, user_claim="preferred_username", groups_claim=None, groups_prefix="")
    assert body_properties(synth_authenticator(oidc)) == {
        "issuer": {"url": "https://sso.acme.internal/realms/eng", "audiences": ["kubernetes"]},
        "claimMappings": {"username": {"expression": "'aks:jwt:' + 'sso:' + claims.preferred_username"}},
    }


def test_a_private_ca_goes_in_as_the_pem_bundle() -> None:
    oidc = dataclasses.replace(OIDC, certificate_authority_data=base64.b64encode(CA_PEM * 2).decode())
    assert body_properties(synth_authenticator(oidc))["certificateAuthorityBundle"] == (CA_PEM * 2).decode()


def test_a_ca_token_is_decoded_by_terraform() -> None:
    stack = new_stack()
    ca = cdktf.TerraformVariable(stack, "ca", type="string").string_value
    cluster = ExistingAksCluster(
        stack,
        "aks",
        props=ExistingAksClusterProps(subscription_id=SUBSCRIPTION, resource_group="rg-apps", cluster_name="apps-aks"),
    )
    props = AksJwtAuthenticatorProps(
        cluster=cluster, oidc_config=dataclasses.replace(OIDC, certificate_authority_data=ca), name="sso"
    )
    AksJwtAuthenticator(stack, "sso", props=props)
    assert body_properties(synth_json(stack))["certificateAuthorityBundle"] == "${base64decode(var.ca)}"


@dataclasses.dataclass(frozen=True)
class _NamedAksCluster:
    """An AKS cluster a library user knows by literal attributes (ExistingAksCluster gives tokens)."""

    resource_id: str
    cluster_type: ClusterType = ClusterType.AKS
    cluster_name: str = "apps-aks"
    region_or_location: str = "westeurope"
    endpoint: str = "https://apps-aks-dns.hcp.westeurope.azmk8s.io:443"
    certificate_authority_data: str = "LS0t"


def test_every_literal_string_reaches_terraform_as_itself() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a prefix, claim, client id or the
    cluster's id is text to Terraform, and the prefix stays text to CEL too."""
    stack = new_stack()
    oidc = dataclasses.replace(
        OIDC,
        client_id=HOSTILE,
        issuer_url='https://sso.acme.internal/${file("/etc/passwd")}',
        username_prefix=HOSTILE,
        groups_prefix=HOSTILE,
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
    )
    cluster = _NamedAksCluster(resource_id=f"/subscriptions/{SUBSCRIPTION}/{HOSTILE}")
    AksJwtAuthenticator(stack, "sso", props=AksJwtAuthenticatorProps(cluster=cluster, oidc_config=oidc, name="sso"))
    document = synth_json(stack)
    assert evaluated(document) == []
    authenticator = only(document, "azapi_resource")
    username = authenticator["body"]["properties"]["claimMappings"]["username"]["expression"]
    # What Terraform hands AKS: `$${`/`%%{` read back as `${`/`%{`, then CEL keeps the prefix as text.
    unescaped = username.replace("$${", "${").replace("%%{", "%{")
    claims = {HOSTILE: "jane"}
    env = cel.NewEnv(variables={"claims": cel.Type.Map(cel.Type.STRING, cel.Type.DYN)})
    assert env.compile(unescaped).eval(data={"claims": claims}).plain_value() == f"aks:jwt:{HOSTILE}jane"
    assert (
        authenticator["parent_id"]
        == f'/subscriptions/{SUBSCRIPTION}/$${{file("/etc/passwd")}}%%{{if(true)}}x%%{{endif}}'
    )

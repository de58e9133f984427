"""The JWT authenticator's body, checked field by field against Azure's published schema of the API version
it targets.

Source: Azure/azure-rest-api-specs, specification/containerservice/resource-manager/Microsoft.ContainerService/
aks/preview/2026-06-02-preview/managedClusters.json (definitions `JWTAuthenticator`, `JWTAuthenticatorProperties`,
`JWTAuthenticatorIssuer`, `JWTAuthenticatorClaimMappings`, `JWTAuthenticatorClaimMappingExpression`,
`JWTAuthenticatorExtraClaimMappingExpression`, `JWTAuthenticatorValidationRule`; path parameter
`jwtAuthenticatorName` of `JWTAuthenticators_CreateOrUpdate`). The facts needed are transcribed below
(field names, types, required fields, read-only fields, minItems, the name's pattern and length, the CA
bundle's limits); the spec file itself is not copied. Every body the construct can write is validated,
unknown fields included: a field the API does not declare, a missing required one, a read-only one or a
wrong type fails.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cluster_synth import only
from synth_support import new_stack, synth_json

from constructs_lib.certificates import split_pem
from constructs_lib.cluster.aks_cluster import ExistingAksCluster
from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
from constructs_lib.cluster.aks_jwt_authenticator import AksJwtAuthenticator
from constructs_lib.cluster.aks_jwt_authenticator_props import AksJwtAuthenticatorProps, jwt_authenticator_name
from constructs_lib.oidc import OidcConfig

API_VERSION = "2026-06-02-preview"
RESOURCE_TYPE = "Microsoft.ContainerService/managedClusters/jwtAuthenticators"
NAME = {"type": "string", "minLength": 1, "maxLength": 24, "pattern": "^[a-z][a-z0-9]{0,23}$"}
"""Path parameter `jwtAuthenticatorName`."""
CA_BUNDLE_MAX_CERTIFICATES = 10
CA_BUNDLE_MAX_BYTES = 20_000
"""`certificateAuthorityBundle`: "only CERTIFICATE PEM blocks, up to 10 CA certificates, and must be no larger
than 20 KB in total" (read in the smaller, decimal sense)."""

# The swagger definitions, as published (`readOnly` marks what a client must not send).
DEFINITIONS: dict[str, dict[str, Any]] = {
    "JWTAuthenticator": {
        "type": "object",
        "properties": {"properties": {"$ref": "JWTAuthenticatorProperties"}},
        "required": ["properties"],
    },
    "JWTAuthenticatorProperties": {
        "type": "object",
        "properties": {
            "provisioningState": {"type": "string", "readOnly": True},
            "issuer": {"$ref": "JWTAuthenticatorIssuer"},
            "claimValidationRules": {"type": "array", "items": {"$ref": "JWTAuthenticatorValidationRule"}},
            "claimMappings": {"$ref": "JWTAuthenticatorClaimMappings"},
            "userValidationRules": {"type": "array", "items": {"$ref": "JWTAuthenticatorValidationRule"}},
            "certificateAuthorityBundle": {"type": "string"},
        },
        "required": ["issuer", "claimMappings"],
    },
    "JWTAuthenticatorIssuer": {
        "type": "object",
        "properties": {
            "url": {"type": "string"},
            "audiences": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        },
        "required": ["url", "audiences"],
    },
    "JWTAuthenticatorClaimMappings": {
        "type": "object",
        "properties": {
            "username": {"$ref": "JWTAuthenticatorClaimMappingExpression"},
            "groups": {"$ref": "JWTAuthenticatorClaimMappingExpression"},
            "uid": {"$ref": "JWTAuthenticatorClaimMappingExpression"},
            "extra": {"type": "array", "items": {"$ref": "JWTAuthenticatorExtraClaimMappingExpression"}},
        },
        "required": ["username"],
    },
    "JWTAuthenticatorClaimMappingExpression": {
        "type": "object",
        "properties": {"expression": {"type": "string"}},
        "required": ["expression"],
    },
    "JWTAuthenticatorExtraClaimMappingExpression": {
        "type": "object",
        "properties": {"key": {"type": "string"}, "valueExpression": {"type": "string"}},
        "required": ["key", "valueExpression"],
    },
    "JWTAuthenticatorValidationRule": {
        "type": "object",
        "properties": {"expression": {"type": "string"}, "message": {"type": "string"}},
        "required": ["expression"],
    },
}


def request_schema(definition: dict[str, Any]) -> dict[str, Any]:
    """The swagger definition as a JSON Schema of what a client may send: declared fields only, read-only
    ones left out (so sending one fails), `$ref`s resolved."""
    if "$ref" in definition:
        return request_schema(DEFINITIONS[definition["$ref"]])
    schema = {key: value for key, value in definition.items() if key not in {"properties", "items", "readOnly"}}
    if definition.get("type") == "object":
        schema["properties"] = {
            name: request_schema(field)
            for name, field in definition["properties"].items()
            if not field.get("readOnly", False)
        }
        schema["additionalProperties"] = False
    if "items" in definition:
        schema["items"] = request_schema(definition["items"])
    return schema


BODY_SCHEMA = request_schema(DEFINITIONS["JWTAuthenticator"])
CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
OIDC = OidcConfig(
    client_id="0oa1b2c3d4",
    issuer_url="https://acme.okta.com/oauth2/aus1a2b3",
    user_claim="email",
    groups_claim="groups",
    username_prefix="okta:",
    groups_prefix="okta:",
    scopes=("openid", "profile", "email", "groups"),
    redirect_uris=("http://localhost:8000",),
    requires_client_secret=False,
)
VARIANTS = {
    "okta": (OIDC, "okta-main"),
    "google-no-groups": (
        dataclasses.replace(OIDC, issuer_url="https://accounts.google.com", groups_claim=None, groups_prefix=""),
        "gws",
    ),
    "other-user-claim": (dataclasses.replace(OIDC, user_claim="preferred_username"), "corp-keycloak"),
    "private-ca": (
        dataclasses.replace(OIDC, certificate_authority_data=base64.b64encode(CA_PEM * 3).decode()),
        "sso",
    ),
    "long-name": (OIDC, "abcdefghij-klmnopqrst-uvwxyz1234"),
}


def synthesised(oidc: OidcConfig, idp_name: str) -> dict[str, Any]:
    stack = new_stack()
    cluster = ExistingAksCluster(
        stack,
        "aks",
        props=ExistingAksClusterProps(
            subscription_id="00000000-0000-0000-0000-000000000000", resource_group="rg", cluster_name="c"
        ),
    )
    props = AksJwtAuthenticatorProps(cluster=cluster, oidc_config=oidc, name=jwt_authenticator_name(idp_name))
    AksJwtAuthenticator(stack, "authenticator", props=props)
    return only(synth_json(stack), "azapi_resource")


def schema_problems(body: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(BODY_SCHEMA)
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(body)
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_body_has_only_the_apis_fields_with_their_types_and_required_ones(variant: str) -> None:
    resource = synthesised(*VARIANTS[variant])
    assert schema_problems(resource["body"]) == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_type_and_name_are_the_apis(variant: str) -> None:
    resource = synthesised(*VARIANTS[variant])
    assert resource["type"] == f"{RESOURCE_TYPE}@{API_VERSION}"
    name = resource["name"]
    assert NAME["minLength"] <= len(name) <= NAME["maxLength"]
    assert re.fullmatch(NAME["pattern"], name)


def test_the_ca_bundle_is_within_the_apis_limits() -> None:
    bundle = synthesised(*VARIANTS["private-ca"])["body"]["properties"]["certificateAuthorityBundle"]
    blocks = split_pem(bundle.encode()).blocks
    assert [block.label for block in blocks] == ["CERTIFICATE"] * 3
    assert split_pem(bundle.encode()).other_lines == 0
    assert len(blocks) <= CA_BUNDLE_MAX_CERTIFICATES and len(bundle.encode()) <= CA_BUNDLE_MAX_BYTES


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda p: p.pop("claimMappings"), "properties: 'claimMappings' is a required property"),
        (lambda p: p["issuer"].update(audiences=[]), "properties/issuer/audiences: [] should be non-empty"),
        (
            lambda p: p["issuer"].update(audience="x"),
            "properties/issuer: Additional properties are not allowed ('audience' was unexpected)",
        ),
        (
            lambda p: p.update(provisioningState="Succeeded"),
            "properties: Additional properties are not allowed ('provisioningState' was unexpected)",
        ),
        (
            lambda p: p["claimMappings"]["username"].update(expression=1),
            "properties/claimMappings/username/expression: 1 is not of type 'string'",
        ),
        (
            lambda p: p.update(claimValidationRules=[{"message": "m"}]),
            "properties/claimValidationRules/0: 'expression' is a required property",
        ),
        (
            lambda p: p.update(certificateAuthorityBundle=["pem"]),
            "properties/certificateAuthorityBundle: ['pem'] is not of type 'string'",
        ),
    ],
    ids=["no-mappings", "no-audience", "misspelt", "read-only", "not-a-string", "rule-without-expression", "ca-list"],
)
def test_the_schema_check_catches_what_azure_would_refuse(change: Any, problem: str) -> None:
    """The other side: the check is no formality."""
    body = copy.deepcopy(synthesised(*VARIANTS["okta"])["body"])
    change(body["properties"])
    assert schema_problems(body) == [problem]

"""WorkforcePoolOidcProvider: web sign-in with the authorization code flow, claims mapped to
Google attributes, the secret only ever a reference."""

from __future__ import annotations

import json

import cdktf
import pytest
from synth_support import new_stack, synth_json
from terraform_hostile import ESCAPED, HOSTILE, evaluated

from constructs_lib.workforce.oidc_provider import WorkforcePoolOidcProvider, WorkforcePoolOidcProviderProps
from constructs_lib.workforce.pool import WorkforcePool
from constructs_lib.workforce.pool_props import WorkforcePoolProps


def build(groups_claim: str | None = "groups", provider_id: str = "okta-main") -> dict[str, object]:
    stack = new_stack()
    pool = WorkforcePool(stack, "pool", props=WorkforcePoolProps(organization_id="123456789012", pool_id="k8s-pool"))
    secret = cdktf.TerraformVariable(stack, "secret", type="string", sensitive=True)
    WorkforcePoolOidcProvider(
        stack,
        "provider",
        props=WorkforcePoolOidcProviderProps(
            pool=pool,
            provider_id=provider_id,
            issuer_url="https://acme.okta.com/oauth2/aus1",
            client_id="web-client",
            client_secret=secret.string_value,
            user_claim="email",
            groups_claim=groups_claim,
        ),
    )
    return synth_json(stack)


def provider_of(document: dict[str, object]) -> dict[str, object]:
    (provider,) = document["resource"]["google_iam_workforce_pool_provider"].values()  # type: ignore[index]
    return provider  # type: ignore[no-any-return]


def test_code_flow_with_the_pools_id_and_mapped_claims() -> None:
    provider = provider_of(build())
    oidc = provider["oidc"]
    assert isinstance(oidc, dict)
    assert oidc["issuer_uri"] == "https://acme.okta.com/oauth2/aus1"
    assert oidc["client_id"] == "web-client"
    assert oidc["web_sso_config"] == {
        "response_type": "CODE",
        "assertion_claims_behavior": "MERGE_USER_INFO_OVER_ID_TOKEN_CLAIMS",
    }
    assert oidc["client_secret"] == {"value": {"plain_text": "${var.secret}"}}
    assert provider["location"] == "global"
    # A reference to the pool resource, so Terraform creates the pool first.
    assert str(provider["workforce_pool_id"]).startswith("${google_iam_workforce_pool.")
    assert provider["attribute_mapping"] == {
        "google.subject": "assertion.email",
        "google.display_name": "assertion.email",
        "google.groups": "assertion.groups",
        "attribute.k8s_oidc_provider": "'okta-main'",
    }


def test_no_groups_mapping_without_a_groups_claim() -> None:
    assert "google.groups" not in json.dumps(provider_of(build(groups_claim=None)))


@pytest.mark.parametrize("provider_id", ["jc", "gcp-okta", "Okta"])
def test_provider_id_is_validated(provider_id: str) -> None:
    with pytest.raises(ValueError) as raised:
        build(provider_id=provider_id)
    assert (
        f"provider_id must be 4-32 characters of a-z, 0-9 and '-', not starting with 'gcp-', got {provider_id!r}"
        in str(raised.value)
    )


def test_every_literal_string_reaches_terraform_as_itself_and_the_secret_stays_a_reference() -> None:
    """Library use: `${…}`/`%{…}` in a value is text, never an expression."""
    stack = new_stack()
    pool = WorkforcePool(stack, "pool", props=WorkforcePoolProps(organization_id="123456789012", pool_id="k8s-pool"))
    secret = cdktf.TerraformVariable(stack, "secret", type="string", sensitive=True)
    WorkforcePoolOidcProvider(
        stack,
        "provider",
        props=WorkforcePoolOidcProviderProps(
            pool=pool,
            provider_id="okta-main",
            issuer_url=f"https://{HOSTILE}/",
            client_id=HOSTILE,
            client_secret=secret.string_value,
            user_claim=HOSTILE,
            groups_claim=HOSTILE,
            attribute_condition=HOSTILE,
            additional_scopes=(HOSTILE,),
        ),
    )
    document = synth_json(stack)
    assert evaluated(document) == []
    provider = provider_of(document)
    assert provider["attribute_mapping"] == {
        "google.subject": f"assertion.{ESCAPED}",
        "google.display_name": f"assertion.{ESCAPED}",
        "google.groups": f"assertion.{ESCAPED}",
        "attribute.k8s_oidc_provider": "'okta-main'",
    }
    assert provider["attribute_condition"] == ESCAPED
    oidc = provider["oidc"]
    assert isinstance(oidc, dict)
    assert (oidc["issuer_uri"], oidc["client_id"]) == (f"https://{ESCAPED}/", ESCAPED)
    assert oidc["client_secret"] == {"value": {"plain_text": "${var.secret}"}}
    assert oidc["web_sso_config"]["additional_scopes"] == [ESCAPED]

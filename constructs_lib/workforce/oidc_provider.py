"""One OIDC provider of a workforce pool: Google signs users in at the IdP (authorization code flow
with the IdP's web client) and maps their claims to Google attributes."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_cdktf_provider_google.iam_workforce_pool_provider import (
    IamWorkforcePoolProvider,
    IamWorkforcePoolProviderOidc,
    IamWorkforcePoolProviderOidcClientSecret,
    IamWorkforcePoolProviderOidcClientSecretValue,
    IamWorkforcePoolProviderOidcWebSsoConfig,
)
from constructs import Construct

from constructs_lib.terraform_literals import escaped
from constructs_lib.workforce.pool import WorkforcePool
from constructs_lib.workforce.pool_props import WORKFORCE_LOCATION, check_workforce_provider_id
from constructs_lib.workforce.principals import PROVIDER_ATTRIBUTE


@dataclass(frozen=True, kw_only=True)
class WorkforcePoolOidcProviderProps:
    pool: WorkforcePool
    provider_id: str
    """4–32 characters of a-z, 0-9 and '-', not starting with `gcp-`."""
    issuer_url: str
    client_id: str
    """The IdP's web (confidential) client, not kubelogin's public one."""
    client_secret: str
    """A sensitive token (resource attribute or variable); it reaches Google through Terraform only."""
    user_claim: str
    groups_claim: str | None
    """None: no `google.groups` mapping (the IdP sends no groups claim)."""
    attribute_condition: str | None = None
    """CEL condition users must satisfy; default: every user the IdP signs in."""
    additional_scopes: tuple[str, ...] = ()
    """Scopes Google requests beyond openid, profile and email; default none. Okta's created
    authorization server releases the groups claim only for its `groups` scope."""

    def __post_init__(self) -> None:
        check_workforce_provider_id(self.provider_id)


class WorkforcePoolOidcProvider(Construct):
    """`google_iam_workforce_pool_provider` (oidc, web sign-in with response type CODE)."""

    def __init__(self, scope: Construct, id_: str, *, props: WorkforcePoolOidcProviderProps) -> None:
        super().__init__(scope, id_)
        tf = escaped(props)  # the props' strings as Terraform must read them (the pool's are its own)
        mapping = {
            "google.subject": f"assertion.{tf.user_claim}",
            "google.display_name": f"assertion.{tf.user_claim}",
            f"attribute.{PROVIDER_ATTRIBUTE}": f"'{tf.provider_id}'",
        }
        if tf.groups_claim is not None:
            mapping["google.groups"] = f"assertion.{tf.groups_claim}"
        self.provider_id = props.provider_id
        self.provider = IamWorkforcePoolProvider(
            self,
            "provider",
            location=WORKFORCE_LOCATION,
            workforce_pool_id=props.pool.pool.workforce_pool_id,
            provider_id=tf.provider_id,
            display_name=f"k8s-oidc {tf.provider_id}",
            attribute_mapping=mapping,
            attribute_condition=tf.attribute_condition,
            oidc=IamWorkforcePoolProviderOidc(
                issuer_uri=tf.issuer_url,
                client_id=tf.client_id,
                client_secret=IamWorkforcePoolProviderOidcClientSecret(
                    value=IamWorkforcePoolProviderOidcClientSecretValue(plain_text=tf.client_secret)
                ),
                # Authorization code flow (never the implicit ID_TOKEN flow); userinfo claims win.
                web_sso_config=IamWorkforcePoolProviderOidcWebSsoConfig(
                    response_type="CODE",
                    assertion_claims_behavior="MERGE_USER_INFO_OVER_ID_TOKEN_CLAIMS",
                    additional_scopes=list(tf.additional_scopes) or None,
                ),
            ),
        )

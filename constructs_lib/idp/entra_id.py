"""A Microsoft Entra ID application: for kubelogin a public client ("Mobile and desktop applications")
with PKCE, or for a Google workforce pool a web client with a password; group names in tokens, and a
service principal that only assigned groups may use."""

from __future__ import annotations

from cdktf_cdktf_provider_azuread.app_role_assignment import AppRoleAssignment
from cdktf_cdktf_provider_azuread.application import (
    Application,
    ApplicationApi,
    ApplicationOptionalClaims,
    ApplicationOptionalClaimsAccessToken,
    ApplicationOptionalClaimsIdToken,
    ApplicationPublicClient,
    ApplicationWeb,
    ApplicationWebImplicitGrant,
)
from cdktf_cdktf_provider_azuread.application_password import ApplicationPasswordA
from cdktf_cdktf_provider_azuread.data_azuread_client_config import DataAzureadClientConfig
from cdktf_cdktf_provider_azuread.data_azuread_group import DataAzureadGroup
from cdktf_cdktf_provider_azuread.service_principal import ServicePrincipal
from constructs import Construct

from constructs_lib.idp.base import build_oidc_config
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.oidc import IdentityProviderType, OidcClientType, OidcConfig
from constructs_lib.terraform_literals import escaped

DEFAULT_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000"
"""Entra's "Default Access" role: assigning a group to the app without a custom role."""


class EntraIdOidcApp(Construct):
    """`azuread_application` + `azuread_service_principal` (assignment required) + one
    `azuread_app_role_assignment` per security group. `PUBLIC_NATIVE`: redirect URIs on the public
    client platform; `CONFIDENTIAL_WEB`: on the web platform, plus an `azuread_application_password`
    (Microsoft Graph's default lifetime, two years: replace it before then to rotate the secret). Implicit
    grant is off either way."""

    def __init__(self, scope: Construct, id_: str, *, props: EntraIdOidcAppProps) -> None:
        super().__init__(scope, id_)
        web = props.client_type is OidcClientType.CONFIDENTIAL_WEB
        tf = escaped(props)  # the props' strings as Terraform must read them
        groups_in_tokens = {"name": "groups", "additional_properties": ["cloud_displayname"]}
        no_implicit_grant = ApplicationWebImplicitGrant(
            access_token_issuance_enabled=False, id_token_issuance_enabled=False
        )
        self.application = Application(
            self,
            "application",
            display_name=tf.display_name or tf.default_display_name,
            sign_in_audience="AzureADMyOrg",
            # Only groups assigned to the app, by display name: keeps tokens under the 200-group limit.
            group_membership_claims=["ApplicationGroup"],
            fallback_public_client_enabled=False,
            api=ApplicationApi(requested_access_token_version=2),
            # Public client ("Mobile and desktop applications"): PKCE without a secret. Not SPA (kubelogin
            # sends no CORS Origin), not web (that would need a secret). The web client is the opposite:
            # Google's sign-in service redeems the code with the password below.
            public_client=None if web else ApplicationPublicClient(redirect_uris=list(tf.redirect_uris)),
            web=ApplicationWeb(redirect_uris=list(tf.redirect_uris) if web else None, implicit_grant=no_implicit_grant),
            optional_claims=ApplicationOptionalClaims(
                access_token=[ApplicationOptionalClaimsAccessToken(**groups_in_tokens)],
                id_token=[ApplicationOptionalClaimsIdToken(**groups_in_tokens)],
            ),
        )
        self.password: ApplicationPasswordA | None = None
        if web:
            # `application_id` is the application's resource id (`/applications/<object id>`), not its client id.
            self.password = ApplicationPasswordA(
                self, "password", application_id=self.application.id, display_name="Google workforce pool"
            )
        # Created, not read: p0's data source fails on a fresh app registration.
        self.service_principal = ServicePrincipal(
            self,
            "service_principal",
            client_id=self.application.client_id,
            app_role_assignment_required=True,
        )
        # Ids carry the display name, so adding or removing a group leaves the other assignments alone.
        for display_name, tf_display_name in zip(props.security_groups, tf.security_groups, strict=True):
            group = DataAzureadGroup(self, f"group {display_name}", display_name=tf_display_name, security_enabled=True)
            AppRoleAssignment(
                self,
                f"assignment {display_name}",
                app_role_id=DEFAULT_APP_ROLE_ID,
                principal_object_id=group.object_id,
                resource_object_id=self.service_principal.object_id,
            )
        tenant_issuer = None
        if props.issuer_url is None:
            tenant_id = DataAzureadClientConfig(self, "client_config").tenant_id
            tenant_issuer = f"https://login.microsoftonline.com/{tenant_id}/v2.0"
        self._oidc_config = build_oidc_config(
            props,
            IdentityProviderType.ENTRA_ID,
            client_id=self.application.client_id,
            computed_issuer_url=tenant_issuer,
        )

    @property
    def oidc_config(self) -> OidcConfig:
        """PKCE is forced (`pkce_method` S256): Entra's discovery document does not advertise it."""
        return self._oidc_config

    @property
    def client_secret(self) -> str | None:
        """`CONFIDENTIAL_WEB`: the password's `value` (a sensitive token, kept in Terraform state and
        flowing to the pool provider). `PUBLIC_NATIVE`: None, there is no secret."""
        return self.password.value if self.password is not None else None

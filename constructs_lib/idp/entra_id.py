"""A Microsoft Entra ID application for kubelogin: a public client ("Mobile and desktop applications")
with PKCE, group names in tokens, and a service principal that only assigned groups may use."""

from __future__ import annotations

from dataclasses import dataclass

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
from cdktf_cdktf_provider_azuread.data_azuread_client_config import DataAzureadClientConfig
from cdktf_cdktf_provider_azuread.data_azuread_group import DataAzureadGroup
from cdktf_cdktf_provider_azuread.service_principal import ServicePrincipal
from constructs import Construct

from constructs_lib.idp.base import IdentityProviderProps, build_oidc_config, refuse_repeats
from constructs_lib.oidc import IdentityProviderType, OidcConfig

DEFAULT_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000"
"""Entra's "Default Access" role: assigning a group to the app without a custom role."""


@dataclass(frozen=True, kw_only=True)
class EntraIdOidcAppProps(IdentityProviderProps):
    display_name: str | None = None
    """App registration name; default `k8s-oidc <name>`."""
    security_groups: tuple[str, ...] = ()
    """Display names of security groups assigned to the app; default none. Assignment is required,
    so only their members can sign in (with none, nobody can until groups are assigned in the
    portal); their names are what the `groups` claim carries."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.display_name is not None and not self.display_name.strip():
            raise ValueError(
                f"display_name must not be empty, got {self.display_name!r}; omit it for 'k8s-oidc {self.name}'"
            )
        for group in self.security_groups:
            if not group.strip():
                raise ValueError(
                    f"security_groups: {group!r} is not a group display name; give each group's display name "
                    "as shown in the Entra admin center"
                )
        refuse_repeats("security_groups", self.security_groups)


class EntraIdOidcApp(Construct):
    """`azuread_application` + `azuread_service_principal` (assignment required) + one
    `azuread_app_role_assignment` per security group."""

    def __init__(self, scope: Construct, id_: str, *, props: EntraIdOidcAppProps) -> None:
        super().__init__(scope, id_)
        groups_in_tokens = {"name": "groups", "additional_properties": ["cloud_displayname"]}
        self.application = Application(
            self,
            "application",
            display_name=props.display_name or f"k8s-oidc {props.name}",
            sign_in_audience="AzureADMyOrg",
            # Only groups assigned to the app, by display name: keeps tokens under the 200-group limit.
            group_membership_claims=["ApplicationGroup"],
            fallback_public_client_enabled=False,
            api=ApplicationApi(requested_access_token_version=2),
            # "Mobile and desktop applications": PKCE without a secret. Not SPA (kubelogin sends no
            # CORS Origin), not web (that would need a secret).
            public_client=ApplicationPublicClient(redirect_uris=list(props.redirect_uris)),
            web=ApplicationWeb(
                implicit_grant=ApplicationWebImplicitGrant(
                    access_token_issuance_enabled=False, id_token_issuance_enabled=False
                )
            ),
            optional_claims=ApplicationOptionalClaims(
                access_token=[ApplicationOptionalClaimsAccessToken(**groups_in_tokens)],
                id_token=[ApplicationOptionalClaimsIdToken(**groups_in_tokens)],
            ),
        )
        # Created, not read: p0's data source fails on a fresh app registration.
        self.service_principal = ServicePrincipal(
            self,
            "service_principal",
            client_id=self.application.client_id,
            app_role_assignment_required=True,
        )
        # Ids carry the display name, so adding or removing a group leaves the other assignments alone.
        for display_name in props.security_groups:
            group = DataAzureadGroup(self, f"group {display_name}", display_name=display_name, security_enabled=True)
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
    def client_secret(self) -> None:
        return None

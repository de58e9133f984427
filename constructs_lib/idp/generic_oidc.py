"""The client of any other OpenID provider (Keycloak, Dex, Auth0, Authentik, Ping, …). k8s-oidc has no
Terraform provider for these, so the client is made by hand (public, PKCE S256, no secret, loopback
redirect URIs, the groups claim) and this construct takes its id and the issuer, plus the issuer's CA when
it is private."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.idp.base import build_oidc_config
from constructs_lib.idp.generic_oidc_props import GenericOidcClientProps
from constructs_lib.oidc import IdentityProviderType, OidcConfig


class GenericOidcClient(Construct):
    """No resources: exposes the `OidcConfig` of the given issuer and client, with the issuer's CA
    (`certificate_authority_data`) when the props name one."""

    def __init__(self, scope: Construct, id_: str, *, props: GenericOidcClientProps) -> None:
        super().__init__(scope, id_)
        self._oidc_config = build_oidc_config(
            props,
            IdentityProviderType.OIDC,
            client_id=props.client_id,
            certificate_authority_data=props.certificate_authority_data,
        )

    @property
    def oidc_config(self) -> OidcConfig:
        return self._oidc_config

    @property
    def client_secret(self) -> None:
        """Always None: a public client, no secret."""
        return None

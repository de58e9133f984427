"""The OIDC settings an identity provider hands to a cluster (cdktf-free).

`OidcConfig` is the one object exchanged between IdP constructs (which produce it) and cluster
constructs and stack outputs (which consume it). `IDP_DEFAULTS` is the table of per-IdP defaults from
DESIGN.md contract 3; `constructs_lib.idp.settings` resolves an IdP's settings with it for the
constructs, the config model and doctor alike, so it must not import cdktf.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from constructs_lib.outputs import OidcConfigOutput
from constructs_lib.outputs import PkceMethod as PkceMethod  # the contract's; imported from here too
from constructs_lib.terraform_literals import escaped


class IdentityProviderType(enum.StrEnum):
    """The identity providers k8s-oidc knows how to wire up."""

    OKTA = "okta"
    ENTRA_ID = "entra_id"
    GOOGLE_WORKSPACE = "google_workspace"
    JUMPCLOUD = "jumpcloud"
    OIDC = "oidc"
    """Any other OpenID provider (Keycloak, Dex, Auth0, Authentik, Ping, …): a client made by hand."""


class OidcClientType(enum.StrEnum):
    """Which kind of OIDC client an IdP construct registers at the IdP."""

    PUBLIC_NATIVE = "public_native"
    """kubelogin on every engineer's machine: a public client that can keep no secret, so PKCE (S256)
    protects the authorization code; redirects to kubelogin's loopback `http://localhost:<port>`."""
    CONFIDENTIAL_WEB = "confidential_web"
    """Google workforce pool web sign-in: Google's servers run the authorization code flow with a client
    secret; redirects to the pool provider's https callback
    `https://auth.cloud.google/signin-callback/locations/global/workforcePools/<pool>/providers/<provider>`."""


GOOGLE_USERINFO_PROFILE_SCOPE = "https://www.googleapis.com/auth/userinfo.profile"
GOOGLE_USERINFO_EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email"


@dataclass(frozen=True, kw_only=True)
class IdpDefaults:
    """What an identity provider type uses when the config does not override it."""

    issuer_url: str | None
    """Fixed issuer, or None when the construct computes it (Okta server, Entra tenant)."""
    user_claim: str
    groups_claim: str | None
    """None: the IdP's ID tokens carry no groups claim (Google Workspace)."""
    scopes: tuple[str, ...]
    """Without `offline_access`: no refresh tokens unless the IdP opts in (`idp.settings.requested_scopes`)."""
    requires_client_secret: bool


IDP_DEFAULTS: dict[IdentityProviderType, IdpDefaults] = {
    IdentityProviderType.OKTA: IdpDefaults(
        issuer_url=None,
        user_claim="email",
        groups_claim="groups",
        scopes=("openid", "profile", "email", "groups"),
        requires_client_secret=False,
    ),
    IdentityProviderType.ENTRA_ID: IdpDefaults(
        issuer_url=None,
        user_claim="preferred_username",
        groups_claim="groups",
        scopes=("openid", "profile", "email"),
        requires_client_secret=False,
    ),
    IdentityProviderType.GOOGLE_WORKSPACE: IdpDefaults(
        issuer_url="https://accounts.google.com",
        user_claim="email",
        groups_claim=None,
        scopes=("openid", GOOGLE_USERINFO_PROFILE_SCOPE, GOOGLE_USERINFO_EMAIL_SCOPE),
        requires_client_secret=True,
    ),
    # With the trailing slash: that is the `issuer` of JumpCloud's discovery document, and go-oidc
    # (kube-apiserver, kubelogin) compares issuers character for character.
    IdentityProviderType.JUMPCLOUD: IdpDefaults(
        issuer_url="https://oauth.id.jumpcloud.com/",
        user_claim="email",
        groups_claim="groups",
        scopes=("openid", "profile", "email"),
        requires_client_secret=False,
    ),
    # The issuer is required (`GenericOidcClientProps.issuer_url`), exactly as its discovery document says.
    IdentityProviderType.OIDC: IdpDefaults(
        issuer_url=None,
        user_claim="email",
        groups_claim="groups",
        scopes=("openid", "profile", "email"),
        requires_client_secret=False,
    ),
}

OFFLINE_ACCESS_SCOPE = "offline_access"
"""The scope that asks the IdP for a refresh token."""


GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE = "google_workspace_client_secret"  # noqa: S105 - a name, not a secret
"""Terraform variable carrying a Google Workspace client secret: set `TF_VAR_google_workspace_client_secret`
or a sensitive Terraform Cloud workspace variable. Never in the config or the synthesised JSON."""


def workforce_client_secret_variable(name: str) -> str:
    """Terraform variable carrying the secret of a web client made by hand (JumpCloud) for the workforce
    pool: `<name>_workforce_client_secret`, every character of `name` other than a letter, digit or `_`
    turned into `_` so that `TF_VAR_<variable>` is a valid shell variable (`corp-jc` →
    `corp_jc_workforce_client_secret`). Never in the config or the synthesised JSON."""
    return f"{re.sub(r'[^A-Za-z0-9_]', '_', name)}_workforce_client_secret"


DEFAULT_REDIRECT_PORTS: tuple[int, ...] = (8000, 18000)
"""kubelogin listens on 8000 and falls back to 18000 when 8000 is busy."""


def redirect_uris(ports: tuple[int, ...]) -> tuple[str, ...]:
    """The loopback redirect URIs kubelogin uses, one per listen port."""
    return tuple(f"http://localhost:{port}" for port in ports)


@dataclass(frozen=True, kw_only=True)
class OidcConfig:
    """How a cluster must validate tokens of one IdP application, and how kubelogin gets them.

    Values may be cdktf tokens (e.g. a client id that the IdP application creates).
    """

    client_id: str
    issuer_url: str
    """Must equal the `issuer` of the IdP's discovery document, character for character."""
    user_claim: str
    groups_claim: str | None
    """None: no groups claim is configured (Google Workspace ID tokens carry none)."""
    username_prefix: str
    groups_prefix: str
    scopes: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    requires_client_secret: bool
    pkce_method: PkceMethod = PkceMethod.S256
    certificate_authority_data: str | None = None
    """Base64 PEM of the CA certificate(s) behind the issuer's TLS certificate, when that CA is private
    (CERTIFICATE blocks only). Default None: the issuer's certificate is publicly trusted, checked against
    the system's roots. EKS and GKE reach publicly trusted issuers only, so their constructs refuse one."""

    def as_output(self) -> dict[str, object]:
        """The `oidc_config` stack output (contract 4, `constructs_lib.outputs`): no secret, ever, and
        `certificate_authority_data` only when the issuer has a private CA. Its strings are written as
        Terraform must read them (`terraform_literals`): put it into a `TerraformOutput` as it is."""
        # Absent, not null, for a publicly trusted issuer: the outputs of such IdPs keep their shape.
        private_ca = (
            {}
            if self.certificate_authority_data is None
            else {"certificate_authority_data": self.certificate_authority_data}
        )
        return escaped(
            OidcConfigOutput.value_of(
                client_id=self.client_id,
                issuer_url=self.issuer_url,
                user_claim=self.user_claim,
                groups_claim=self.groups_claim,
                username_prefix=self.username_prefix,
                groups_prefix=self.groups_prefix,
                scopes=list(self.scopes),
                pkce_method=self.pkce_method.value,
                redirect_uris=list(self.redirect_uris),
                requires_client_secret=self.requires_client_secret,
                **private_ca,
            )
        )

"""Props of the client of any other OpenID provider (Keycloak, Dex, Auth0, Authentik, Ping, …) (cdktf-free)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib.certificates import CertificateError, certificates_from_base64
from constructs_lib.idp.base_props import IdentityProviderProps, require_single_word
from constructs_lib.oidc import OidcClientType
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_unresolved

CERTIFICATE_AUTHORITY_DATA = "certificate_authority_data"


@dataclass(frozen=True, kw_only=True)
class GenericOidcClientProps(IdentityProviderProps):
    issuer_url: str
    """Required: the `issuer` of the IdP's discovery document, exactly (go-oidc compares issuers character
    for character, a trailing slash included), e.g. a Keycloak realm's https://sso.example.com/realms/eng."""
    client_id: str
    """Required: the id of a public client made by hand in the IdP (PKCE S256, no secret, the loopback
    redirect URIs http://localhost:8000 and http://localhost:18000, the groups claim in its ID tokens)."""
    certificate_authority_data: str | None = None
    """Base64 PEM of the CA certificate(s) that signed the issuer's TLS certificate, when that CA is private
    (e.g. `base64 -w0 sso-ca.pem`). Default None: the issuer's certificate is publicly trusted. CERTIFICATE
    blocks only (a file that also holds a key or other text is refused; the config leaves such parts out
    with a warning); kept as each certificate re-encoded from its parsed DER. EKS and GKE refuse an issuer
    with a private CA: they reach publicly trusted issuers only."""

    def __post_init__(self) -> None:
        # Checked first, and alone: the redirect URI checks would otherwise blame the URIs, not the client type.
        if self.client_type is OidcClientType.CONFIDENTIAL_WEB:
            raise PropsError(
                "client_type",
                "client_type CONFIDENTIAL_WEB is not available for an `oidc` IdP: it offers kubelogin's public "
                "client only; use PUBLIC_NATIVE (the default)",
            )
        raise_problems(
            self._check_device_code_unavailable,
            super().__post_init__,
            self._check_issuer_given,
            lambda: require_single_word("client_id", self.client_id, "kubernetes"),
            self._check_certificate_authority,
        )

    def _check_issuer_given(self) -> None:
        # The dataclass inherits the base's default None for the field: a missing issuer would pass unseen.
        if self.issuer_url is None:
            raise PropsError(
                "issuer_url",
                "issuer_url is required for an `oidc` IdP (it has no issuer of its own): the `issuer` of its "
                "discovery document, e.g. 'https://sso.example.com/realms/eng'",
            )

    def _check_device_code_unavailable(self) -> None:
        if self.device_code:
            raise PropsError(
                "device_code",
                "device_code is not available for an `oidc` IdP: its client is made by hand, so k8s-oidc can't "
                "tell whether it allows the device authorization grant (a phishable flow it opens only where it "
                "makes the app itself); leave it false (engineers on remote shells forward kubelogin's ports "
                "over SSH)",
            )

    def _check_certificate_authority(self) -> None:
        data = self.certificate_authority_data
        if data is None or is_unresolved(data):
            return
        try:
            certificates = certificates_from_base64(data)
        except CertificateError as error:
            raise PropsError(
                CERTIFICATE_AUTHORITY_DATA,
                f"{CERTIFICATE_AUTHORITY_DATA} {error}; give the issuer's CA certificate(s), e.g. the output of "
                "`base64 -w0 sso-ca.pem`",
            ) from None
        if certificates.dropped:
            raise PropsError(
                CERTIFICATE_AUTHORITY_DATA,
                f"{CERTIFICATE_AUTHORITY_DATA} decodes to text that {' and '.join(certificates.dropped)}; give "
                "the issuer's CA certificate(s) only",
            )
        object.__setattr__(self, CERTIFICATE_AUTHORITY_DATA, certificates.base64)

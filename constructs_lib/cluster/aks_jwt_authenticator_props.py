"""Props of the AKS JWT authenticator construct, and the authenticator's name rule (cdktf-free: the config
model names authenticators with `jwt_authenticator_name` to find two IdPs of a cluster that collide).

Facts from Azure's API (`Microsoft.ContainerService/managedClusters/jwtAuthenticators`,
azure-rest-api-specs specification/containerservice/resource-manager/Microsoft.ContainerService/aks/preview/
2026-06-02-preview/managedClusters.json): the name matches `^[a-z][a-z0-9]{0,23}$`; the issuer URL is https
without query or fragment; `certificateAuthorityBundle` takes CERTIFICATE PEM blocks only, up to 10 CA
certificates and 20 KB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from constructs_lib.cel_literals import cel_string
from constructs_lib.certificates import CertificateError, certificates_from_base64, split_pem
from constructs_lib.cluster.aks_cluster_props import AksClusterReference
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.https_urls import https_url_problem
from constructs_lib.idp.base_props import require_single_word
from constructs_lib.kubernetes_subjects import reserved_prefix_problem
from constructs_lib.oidc import OidcConfig
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_literal

JWT_AUTHENTICATOR_TYPE = "Microsoft.ContainerService/managedClusters/jwtAuthenticators"
JWT_AUTHENTICATOR_API_VERSION = "2026-06-02-preview"
"""The newest preview of the JWT authenticator API, and the first whose authenticators take a CA bundle
(`certificateAuthorityBundle`) for issuers behind a private CA. The subscription must register the
`Microsoft.ContainerService/JWTAuthenticatorPreview` feature; the cluster must run Kubernetes 1.30 or later."""
MAX_CA_CERTIFICATES = 10
"""`certificateAuthorityBundle` holds at most this many CA certificates."""
MAX_CA_BUNDLE_BYTES = 20_000
"""`certificateAuthorityBundle` is at most 20 KB of PEM (counted in the smaller, decimal sense)."""
_NAME = re.compile(r"[a-z][a-z0-9]{0,23}")
ENTRA_ID_ISSUER_HOSTS = frozenset({"login.microsoftonline.com", "sts.windows.net"})
"""Entra ID's issuers, which a JWT authenticator can't take: AKS signs Entra users in itself."""
ENTRA_ID_SIGN_IN = (
    "AKS signs Entra ID users in through its managed Entra ID integration (`az aks get-credentials` and Azure's "
    "kubelogin), not through an authenticator"
)
"""Why Entra ID can't be an authenticator's issuer, and the path AKS offers instead (the config says it too)."""


def jwt_authenticator_name(idp_name: str) -> str:
    """The authenticator of IdP `idp_name` on an AKS cluster: the name without `-`, cut to 24 characters
    (`okta-main` → `oktamain`). Two IdP names can give the same one (`okta-main`, `oktamain`): a cluster
    can't hold both."""
    return idp_name.replace("-", "")[:24]


@dataclass(frozen=True, kw_only=True)
class AksJwtAuthenticatorProps:
    """Which AKS cluster trusts which IdP application, under what authenticator name."""

    cluster: AksClusterReference
    """The AKS cluster (`ExistingAksCluster`) that should trust the issuer."""
    oidc_config: OidcConfig
    """From the IdP construct: issuer, client id (the one audience), claims, prefixes and the issuer's CA
    (`certificateAuthorityBundle`; without one, AKS trusts the well-known public roots)."""
    name: str
    """The authenticator's name, `^[a-z][a-z0-9]{0,23}$`: `jwt_authenticator_name(<IdP name>)`. Renaming
    replaces the authenticator (sign-in through it is down meanwhile)."""

    def __post_init__(self) -> None:
        raise_problems(
            self._check_cluster,
            self._check_name,
            self._check_issuer,
            self._check_client_id,
            self._check_claims,
            self._check_prefixes,
            self._check_certificate_authority,
        )

    def _check_cluster(self) -> None:
        if self.cluster.cluster_type is not ClusterType.AKS:
            raise PropsError(
                "cluster",
                f"cluster must be an AKS cluster, got a {self.cluster.cluster_type.value} cluster; EKS clusters "
                "trust issuers through EksOidcIdentityProvider, self-managed ones through their kube-apiserver's "
                "AuthenticationConfiguration",
            )

    def _check_name(self) -> None:
        if is_literal(self.name) and not _NAME.fullmatch(self.name):
            raise PropsError(
                "name",
                f"name {self.name!r} is not a JWT authenticator name: a lowercase letter, then up to 23 lowercase "
                "letters and digits (AKS's rule); jwt_authenticator_name('okta-main') gives 'oktamain'",
            )

    def _check_issuer(self) -> None:
        issuer = self.oidc_config.issuer_url
        if not is_literal(issuer):
            return
        problem = https_url_problem(issuer)
        if problem is not None:
            raise PropsError(
                "oidc_config",
                f"AKS requires an https:// issuer: issuer_url {issuer!r} {problem}; use the `issuer` of the IdP's "
                "discovery document",
            )
        if urlsplit(issuer).hostname in ENTRA_ID_ISSUER_HOSTS:
            raise PropsError(
                "oidc_config",
                f"issuer_url {issuer!r} is Entra ID's, which can't be an AKS JWT authenticator's issuer: "
                f"{ENTRA_ID_SIGN_IN}",
            )

    def _check_client_id(self) -> None:
        # The authenticator's one audience.
        require_single_word("client_id", self.oidc_config.client_id, "0oa1b2c3d4")

    def _check_claims(self) -> None:
        oidc = self.oidc_config
        claims = {"user_claim": (oidc.user_claim, "email")}
        if oidc.groups_claim is not None:
            claims["groups_claim"] = (oidc.groups_claim, "groups")
        errors = [
            error for key, (claim, example) in claims.items() if (error := _cel_word_problem(key, claim, example))
        ]
        if errors:
            raise PropsError.several(errors)

    def _check_prefixes(self) -> None:
        """Each mapped name is `aks:jwt:` + prefix + the IdP's name; the IdP props check their prefixes, but
        an `OidcConfig` may be built by hand."""
        oidc = self.oidc_config
        prefixes = {"username_prefix": oidc.username_prefix}
        if oidc.groups_claim is not None:
            prefixes["groups_prefix"] = oidc.groups_prefix
        errors = []
        for key, prefix in prefixes.items():
            if not is_literal(prefix):
                continue
            if (error := _cel_word_problem(key, prefix, "okta:")) is not None:
                errors.append(error)
            elif (problem := reserved_prefix_problem(prefix)) is not None:
                errors.append(
                    PropsError("oidc_config", f"{key} {prefix!r} {problem}; use the IdP's name, e.g. 'okta:'")
                )
        if errors:
            raise PropsError.several(errors)

    def _check_certificate_authority(self) -> None:
        data = self.oidc_config.certificate_authority_data
        if data is None or not is_literal(data):
            return
        field = "certificate_authority_data"
        try:
            certificates = certificates_from_base64(data)
        except CertificateError as error:
            raise PropsError("oidc_config", f"{field} {error}") from None
        problems = list(certificates.dropped)
        count = len(split_pem(certificates.pem).blocks)
        if count > MAX_CA_CERTIFICATES:
            problems.append(f"holds {count} certificates; AKS takes at most {MAX_CA_CERTIFICATES}")
        if len(certificates.pem) > MAX_CA_BUNDLE_BYTES:
            problems.append(
                f"is {len(certificates.pem):,} bytes of PEM; AKS takes at most {MAX_CA_BUNDLE_BYTES:,}: give only the "
                "CA certificates that the issuer's TLS certificate chains to"
            )
        if problems:
            raise PropsError("oidc_config", f"{field} of issuer {self.oidc_config.issuer_url!r} {'; '.join(problems)}")


def _cel_word_problem(key: str, value: str, example: str) -> PropsError | None:
    """Why `value` (a claim name or prefix of the `OidcConfig`) can't go into the CEL mappings, or None: it
    must be one word, and a CEL string can hold no unpaired surrogate."""
    try:
        require_single_word(key, value, example)
        if is_literal(value):
            cel_string(value)
    except PropsError as error:
        return PropsError("oidc_config", str(error))
    except ValueError as error:
        return PropsError("oidc_config", f"{key} {value!r}: {error}")
    return None


def certificate_authority_bundle(certificate_authority_data: str) -> str:
    """The issuer's CA as AKS's `certificateAuthorityBundle` takes it: PEM text, the certificates of base64
    `certificate_authority_data` (a literal the props accepted), each re-encoded."""
    return certificates_from_base64(certificate_authority_data).pem.decode("ascii")

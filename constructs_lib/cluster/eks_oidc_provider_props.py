"""Props of the EKS OIDC identity-provider association construct (cdktf-free)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs_lib.cluster.kubernetes_cluster import ClusterType, KubernetesCluster
from constructs_lib.https_urls import https_url_problem
from constructs_lib.kubernetes_subjects import reserved_prefix_problem
from constructs_lib.oidc import OidcConfig
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_literal

_CONFIG_NAME = re.compile(r"[0-9A-Za-z][A-Za-z0-9._-]{0,99}")
MAX_REQUIRED_CLAIMS = 10
"""EKS accepts at most this many required claims."""


@dataclass(frozen=True, kw_only=True)
class EksOidcIdentityProviderProps:
    """Which cluster trusts which issuer, and under what name."""

    cluster: KubernetesCluster
    """The EKS cluster (created, or `EksCluster.from_cluster_name`) that should trust the issuer."""
    oidc_config: OidcConfig
    """From the IdP construct: client id, issuer, claims and prefixes. Both prefixes are always set on
    EKS (the groups prefix only when there is a groups claim): without a username prefix EKS would
    prefix usernames with `<issuer>#` for claims other than `email`."""
    config_name: str
    """`identity_provider_config_name`, e.g. the IdP's name in the config; changing it replaces the
    association."""
    required_claims: Mapping[str, str] = field(default_factory=dict)
    """Claims every token must carry with exactly these values (at most 10); default: none required."""

    def __post_init__(self) -> None:
        raise_problems(
            self._check_cluster,
            self._check_config_name,
            self._check_issuer,
            self._check_public_issuer,
            self._check_prefixes,
            self._validate_required_claims,
        )

    def _check_cluster(self) -> None:
        if self.cluster.cluster_type is not ClusterType.EKS:
            raise PropsError(
                "cluster",
                f"cluster must be an EKS cluster, got a {self.cluster.cluster_type.value} cluster; "
                "GKE clusters trust issuers through Identity Service (the render step's admin script), "
                "self-managed ones through their kube-apiserver's AuthenticationConfiguration",
            )

    def _check_config_name(self) -> None:
        if is_literal(self.config_name) and not _CONFIG_NAME.fullmatch(self.config_name):
            raise PropsError(
                "config_name",
                f"config_name {self.config_name!r} must start with a letter or digit and hold only letters, "
                "digits, '.', '_' and '-' (at most 100 characters); e.g. 'okta-main'",
            )

    def _check_issuer(self) -> None:
        issuer = self.oidc_config.issuer_url
        problem = https_url_problem(issuer) if is_literal(issuer) else None
        if problem is not None:
            raise PropsError(
                "oidc_config",
                f"EKS requires a public https:// issuer: issuer_url {issuer!r} {problem}; use the `issuer` of "
                "the IdP's discovery document",
            )

    def _check_public_issuer(self) -> None:
        if self.oidc_config.certificate_authority_data is not None:
            raise PropsError(
                "oidc_config",
                f"EKS trusts only issuers whose TLS certificate is publicly trusted: issuer_url "
                f"{self.oidc_config.issuer_url!r} comes with a private CA (certificate_authority_data), which EKS "
                "has no setting for; serve the issuer with a certificate from a public CA, or use the IdP on a "
                "self-managed or AKS cluster",
            )

    def _check_prefixes(self) -> None:
        """EKS sets both prefixes (the groups prefix only with a groups claim); the IdP props check theirs,
        but an `OidcConfig` may be built by hand."""
        oidc = self.oidc_config
        prefixes = {"username_prefix": oidc.username_prefix}
        if oidc.groups_claim is not None:
            prefixes["groups_prefix"] = oidc.groups_prefix
        errors = [
            PropsError("oidc_config", f"{key} {prefix!r} {problem}; use the IdP's name, e.g. 'okta:'")
            for key, prefix in prefixes.items()
            if is_literal(prefix) and (problem := reserved_prefix_problem(prefix)) is not None
        ]
        if errors:
            raise PropsError.several(errors)

    def _validate_required_claims(self) -> None:
        if len(self.required_claims) > MAX_REQUIRED_CLAIMS:
            raise PropsError(
                "required_claims",
                f"required_claims holds {len(self.required_claims)} claims; EKS accepts at most {MAX_REQUIRED_CLAIMS}",
            )
        for claim, value in self.required_claims.items():
            if not claim or not value:
                raise PropsError(
                    "required_claims",
                    f"required_claims entry {claim!r}: {value!r} needs a non-empty claim name and value, "
                    "e.g. {'hd': 'example.com'}",
                )

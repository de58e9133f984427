"""The EKS side of the trust: an `aws_eks_identity_provider_config` for one IdP's `OidcConfig`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cdktf import Token
from cdktf_cdktf_provider_aws.eks_identity_provider_config import (
    EksIdentityProviderConfig,
    EksIdentityProviderConfigOidc,
)
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import ClusterType, KubernetesCluster
from constructs_lib.oidc import OidcConfig


@dataclass(frozen=True, kw_only=True)
class EksOidcIdentityProviderProps:
    cluster: KubernetesCluster
    """The EKS cluster (created or existing) that should trust the issuer."""
    oidc_config: OidcConfig
    config_name: str
    """`identity_provider_config_name`; EKS allows one per cluster. Changing it replaces the config."""
    required_claims: dict[str, str] = field(default_factory=dict)
    """Claims every token must carry with these exact values; default: none."""

    def __post_init__(self) -> None:
        if self.cluster.cluster_type is not ClusterType.EKS:
            raise ValueError(f"cluster must be an EKS cluster, got {self.cluster.cluster_type.value}")
        if not re.fullmatch(r"[0-9A-Za-z][A-Za-z0-9._-]{0,99}", self.config_name):
            raise ValueError(f"config_name {self.config_name!r} must match [0-9A-Za-z][A-Za-z0-9._-]{{0,99}}")
        issuer = self.oidc_config.issuer_url
        if not Token.is_unresolved(issuer) and not issuer.startswith("https://"):
            raise ValueError(f"EKS requires a public https:// issuer, got {issuer!r}")


class EksOidcIdentityProvider(Construct):
    """Both prefixes are always set: EKS would otherwise prefix usernames with `<issuer>#`."""

    def __init__(self, scope: Construct, id_: str, *, props: EksOidcIdentityProviderProps) -> None:
        super().__init__(scope, id_)
        oidc = props.oidc_config
        self.identity_provider_config = EksIdentityProviderConfig(
            self,
            "config",
            cluster_name=props.cluster.cluster_name,
            oidc=EksIdentityProviderConfigOidc(
                identity_provider_config_name=props.config_name,
                client_id=oidc.client_id,
                issuer_url=oidc.issuer_url,
                username_claim=oidc.user_claim,
                username_prefix=oidc.username_prefix,
                groups_claim=oidc.groups_claim,
                groups_prefix=oidc.groups_prefix if oidc.groups_claim else None,
                required_claims=props.required_claims or None,
            ),
        )

"""An `aks` cluster entry: an existing AKS cluster that trusts each IdP through a JWT authenticator (structured
authentication, preview), read from Azure by subscription, resource group and name."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, field_validator

from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
from constructs_lib.cluster.aks_jwt_authenticator_props import (
    ENTRA_ID_SIGN_IN,
    AksJwtAuthenticatorProps,
    jwt_authenticator_name,
)
from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.oidc import IdentityProviderType, OidcConfig
from stacks.config.cluster_kinds import ClusterKind
from stacks.config.clusters.base import ClusterEntry
from stacks.config.identity_providers.base import IdentityProviderBase
from stacks.config.options import option, option_values
from stacks.config.value_types import Name, Text, unique

MAX_JWT_AUTHENTICATORS = 64
"""The most JWT authenticators one cluster takes (kube-apiserver's limit, which AKS passes on)."""


class AksClusterConfig(ClusterEntry):
    """An existing AKS cluster (Kubernetes 1.30 or later, the subscription registered for the
    `JWTAuthenticatorPreview` feature): a JWT authenticator per IdP, in the IdP's pair stack."""

    PROPS: ClassVar[type[ExistingAksClusterProps]] = ExistingAksClusterProps
    """The props of the construct that reads the cluster: the entry's options are its fields of the same name."""

    type: Literal["aks"]
    subscription_id: Text = option(ExistingAksClusterProps, "subscription_id")
    resource_group: Text = option(ExistingAksClusterProps, "resource_group")
    cluster_name: Text = option(ExistingAksClusterProps, "cluster_name")
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]
    """The identity providers this cluster trusts, 1 to 64 (a JWT authenticator each); not `entra_id` (AKS signs
    Entra ID users in itself)."""

    @field_validator("identity_providers")
    @classmethod
    def _at_most_64_with_distinct_authenticators(cls, names: list[str]) -> list[str]:
        if len(names) > MAX_JWT_AUTHENTICATORS:
            raise ValueError(
                f"an AKS cluster takes at most {MAX_JWT_AUTHENTICATORS} JWT authenticators, one per identity "
                f"provider, got {len(names)}"
            )
        by_authenticator: dict[str, list[str]] = {}
        for name in names:
            by_authenticator.setdefault(jwt_authenticator_name(name), []).append(name)
        collisions = [
            f"{' and '.join(idps)} give the same JWT authenticator name {authenticator!r}"
            for authenticator, idps in by_authenticator.items()
            if len(idps) > 1
        ]
        if collisions:
            raise ValueError(
                f"{'; '.join(collisions)} (an IdP's name without '-', cut to 24 characters: AKS names "
                "authenticators with lowercase letters and digits only), and a cluster holds one authenticator per "
                "name; rename one of them under `identity_providers`"
            )
        return names

    @property
    def kind(self) -> ClusterKind:
        return ClusterKind.AKS

    def props(self, name: str) -> ExistingAksClusterProps:
        return self.PROPS(**option_values(self, self.PROPS))

    def trust_props(
        self, cluster: KubernetesCluster, oidc_config: OidcConfig, idp_name: str
    ) -> AksJwtAuthenticatorProps:
        # The AKS cluster construct is an `AksClusterReference`; the config's stand-in before deploy is one too.
        return AksJwtAuthenticatorProps(
            cluster=cluster,  # type: ignore[arg-type]
            oidc_config=oidc_config,
            name=jwt_authenticator_name(idp_name),
        )

    def identity_provider_refusal(self, idp_name: str, idp: IdentityProviderBase) -> str | None:
        if idp.idp_type is not IdentityProviderType.ENTRA_ID:
            return None
        return (
            f"{idp_name} is Entra ID, which can't be an AKS JWT authenticator's issuer: {ENTRA_ID_SIGN_IN}; remove "
            f"it here, and give its users `az aks get-credentials --resource-group {self.resource_group} --name "
            f"{self.cluster_name}` on a cluster with AKS-managed Entra ID integration"
        )

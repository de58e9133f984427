"""An `eks` cluster entry: an Amazon EKS cluster, existing or created."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.cluster.eks_cluster_props import EksClusterProps, ExistingEksClusterProps
from constructs_lib.cluster.eks_oidc_provider_props import EksOidcIdentityProviderProps
from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.oidc import OidcConfig
from constructs_lib.props_error import PropsError
from stacks.config.cluster_kinds import ClusterKind
from stacks.config.clusters.base import ClusterBase, CreateOptions
from stacks.config.options import option, option_values
from stacks.config.value_types import Text


class EksCreate(CreateOptions):
    """Create the EKS cluster in its own stack `<cluster>-cluster` (secure defaults, no nodes)."""

    PROPS: ClassVar[type[EksClusterProps]] = EksClusterProps

    kubernetes_version: Text = option(EksClusterProps, "kubernetes_version")
    vpc_cidr: Text = option(EksClusterProps, "vpc_cidr")
    availability_zones: Annotated[list[Text], Field(max_length=6)] = option(EksClusterProps, "availability_zones")
    public_access_cidrs: Annotated[list[Text], Field(max_length=40)] = option(EksClusterProps, "public_access_cidrs")


EKS_MAX_IDENTITY_PROVIDERS = 10
"""EKS trusts up to this many OIDC identity providers per cluster, from Kubernetes 1.32 on."""
EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR = 32
"""Below Kubernetes 1.<this>, EKS trusts one OIDC identity provider per cluster."""


class EksClusterConfig(ClusterBase):
    type: Literal["eks"]
    region: Text
    """The AWS region, e.g. `us-west-2`."""
    cluster_name: Text | None = None
    """An existing cluster, referenced by name."""
    create: EksCreate | None = None
    """Create the cluster instead (mutually exclusive with `cluster_name`)."""

    @field_validator("identity_providers")
    @classmethod
    def _at_most_ten(cls, names: list[str]) -> list[str]:
        if len(names) > EKS_MAX_IDENTITY_PROVIDERS:
            raise ValueError(
                f"EKS trusts at most {EKS_MAX_IDENTITY_PROVIDERS} OIDC identity providers per cluster (on "
                f"Kubernetes 1.{EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR} and later), got {len(names)} "
                f"({', '.join(names)}); keep {EKS_MAX_IDENTITY_PROVIDERS} here"
            )
        return names

    @model_validator(mode="after")
    def _one_identity_provider_before_1_32(self) -> EksClusterConfig:
        # An existing cluster's version is unknown at synth time: AWS itself refuses a second IdP there.
        if self.create is None or len(self.identity_providers) == 1:
            return self
        version = self.create.kubernetes_version
        minor = re.fullmatch(r"1\.([0-9]+)", version)
        if minor is None or int(minor.group(1)) >= EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR:
            return self  # a malformed version is the props' to report
        names = self.identity_providers
        raise PropsError(
            "identity_providers",
            f"EKS trusts one OIDC identity provider per cluster below Kubernetes "
            f"1.{EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR}, and this cluster is created with kubernetes_version "
            f"{version!r}, got {len(names)} ({', '.join(names)}); keep one IdP here, or set "
            f'`create.kubernetes_version` to "1.{EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR}" or later, where EKS '
            f"trusts up to {EKS_MAX_IDENTITY_PROVIDERS}",
        )

    @property
    def region_or_location(self) -> str:
        return self.region

    @property
    def kind(self) -> ClusterKind:
        return ClusterKind.EKS

    def created_props(self, name: str) -> EksClusterProps:
        assert self.create is not None
        return EksClusterProps(cluster_name=name, region=self.region, **option_values(self.create, EksClusterProps))

    def existing_props(self) -> ExistingEksClusterProps:
        assert self.cluster_name is not None
        return ExistingEksClusterProps(cluster_name=self.cluster_name, region=self.region)

    def trust_props(
        self, cluster: KubernetesCluster, oidc_config: OidcConfig, idp_name: str
    ) -> EksOidcIdentityProviderProps:
        return EksOidcIdentityProviderProps(cluster=cluster, oidc_config=oidc_config, config_name=idp_name)

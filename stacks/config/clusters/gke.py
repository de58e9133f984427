"""A `gke` cluster entry: a GKE cluster, existing or created, that engineers reach through Identity Service for
GKE or through Workforce Identity Federation (its `auth`, which makes it one kind or the other)."""

from __future__ import annotations

import enum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from constructs_lib.cluster.gke_cluster_props import ExistingGkeClusterProps, GkeClusterProps, ReleaseChannel
from constructs_lib.cluster.network_checks import check_public_access_cidrs
from constructs_lib.props_error import PropsError
from stacks.config.cluster_kinds import ClusterKind
from stacks.config.clusters.base import ClusterBase, CreateOptions
from stacks.config.identity_providers.base import IdentityProviderBase
from stacks.config.options import option, option_values
from stacks.config.value_types import Text
from stacks.errors import Problem


class GkeCreate(CreateOptions):
    """Create a private GKE Standard cluster in its own stack `<cluster>-cluster`."""

    PROPS: ClassVar[type[GkeClusterProps]] = GkeClusterProps

    subnet_cidr: Text = option(GkeClusterProps, "subnet_cidr")
    pods_cidr: Text = option(GkeClusterProps, "pods_cidr")
    services_cidr: Text = option(GkeClusterProps, "services_cidr")
    master_cidr: Text = option(GkeClusterProps, "master_cidr")
    public_access_cidrs: Annotated[list[Text], Field(max_length=50)] = option(GkeClusterProps, "public_access_cidrs")
    # Not strict: YAML gives the enum value as text.
    release_channel: Annotated[ReleaseChannel, Field(strict=False)] = option(GkeClusterProps, "release_channel")
    machine_type: Text = option(GkeClusterProps, "machine_type")
    node_count: Annotated[int, Field(le=100)] = option(GkeClusterProps, "node_count")


class GkeAuth(enum.StrEnum):
    """How engineers authenticate to a GKE cluster."""

    IDENTITY_SERVICE = "identity_service"
    """Identity Service for GKE: the cluster trusts the IdP's issuer; kubectl uses kubelogin."""
    WORKFORCE_IDENTITY = "workforce_identity"
    """Workforce Identity Federation: Google trusts the IdP; kubectl uses gcloud's auth plugin."""


IDENTITY_SERVICE_DEPRECATION = (
    "uses Identity Service for GKE (`auth: identity_service`, the default), which Google deprecated on "
    "2026-07-01: it is unsupported from GKE 1.37 and unavailable to organisations created after 2025-07-01; "
    "move the cluster to `auth: workforce_identity` (Workforce Identity Federation; migration: "
    "docs/gke-workforce.md)"
)


PUBLIC_ISSUERS_ONLY = (
    "GKE trusts only issuers whose TLS certificate is publicly trusted, as k8s-oidc sets it up (Identity Service "
    "and workforce pools alike, with no setting for another CA)"
)


class GkeClusterConfig(ClusterBase):
    type: Literal["gke"]
    # Not strict: YAML gives the enum value as text.
    auth: Annotated[GkeAuth, Field(strict=False)] = GkeAuth.IDENTITY_SERVICE
    """`identity_service` (the cluster trusts the IdP; kubelogin) or `workforce_identity` (gcloud)."""
    project: Text
    """The Google Cloud project id, e.g. `acme-data`."""
    location: Text
    """A region (regional cluster) such as `us-west1`, or a zone such as `us-west1-a`."""
    cluster_name: Text | None = None
    """An existing cluster, referenced by name."""
    create: GkeCreate | None = None
    """Create the cluster instead (mutually exclusive with `cluster_name`)."""
    public_access_cidrs: Annotated[list[Text], Field(max_length=50)] | None = None
    """Existing cluster: who may reach the Identity Service endpoint (the `gke-oidc-envoy` load
    balancer). Default: every address, and the admin script asks before exposing it. A created
    cluster's come from `create.public_access_cidrs`."""

    @model_validator(mode="after")
    def _endpoint_ranges_of_an_existing_identity_service_cluster(self) -> GkeClusterConfig:
        if self.public_access_cidrs is None:
            return self
        if self.create is not None:
            raise PropsError(
                "public_access_cidrs",
                "`public_access_cidrs` of a created cluster go under `create` (they are its master authorized "
                "networks and its Identity Service endpoint's source ranges at once); remove the one beside `create`",
            )
        if self.auth is GkeAuth.WORKFORCE_IDENTITY:
            raise PropsError(
                "public_access_cidrs",
                "`public_access_cidrs` limits the Identity Service endpoint, which a `workforce_identity` cluster "
                "does not use (engineers reach it through gcloud); remove it",
            )
        check_public_access_cidrs(tuple(self.public_access_cidrs))  # a created cluster's rule, from its home
        return self

    @property
    def identity_service_source_ranges(self) -> list[str] | None:
        """Who may reach `gke-oidc-envoy`: the created cluster's `public_access_cidrs`, else the existing
        cluster's; None when neither says (every address)."""
        return self.create.public_access_cidrs if self.create is not None else self.public_access_cidrs

    @property
    def region_or_location(self) -> str:
        return self.location

    @property
    def kind(self) -> ClusterKind:
        if self.auth is GkeAuth.WORKFORCE_IDENTITY:
            return ClusterKind.GKE_WORKFORCE
        return ClusterKind.GKE_IDENTITY_SERVICE

    def identity_provider_refusal(self, idp_name: str, idp: IdentityProviderBase) -> str | None:
        if idp.issuer_certificate_authority is None:
            return None
        return (
            f"{idp_name}'s issuer comes with a private CA (identity_providers.{idp_name}.certificate_authority_file "
            f"or _data), and {PUBLIC_ISSUERS_ONLY}; serve the issuer with a certificate from a public CA, or use "
            f"{idp_name} on a self-managed or AKS cluster"
        )

    @property
    def deprecation(self) -> Problem | None:
        return Problem("auth", IDENTITY_SERVICE_DEPRECATION) if self.auth is GkeAuth.IDENTITY_SERVICE else None

    def created_props(self, name: str) -> GkeClusterProps:
        assert self.create is not None
        return GkeClusterProps(
            cluster_name=name,
            project=self.project,
            location=self.location,
            identity_service=self.auth is GkeAuth.IDENTITY_SERVICE,
            **option_values(self.create, GkeClusterProps),
        )

    def existing_props(self) -> ExistingGkeClusterProps:
        assert self.cluster_name is not None
        return ExistingGkeClusterProps(cluster_name=self.cluster_name, project=self.project, location=self.location)

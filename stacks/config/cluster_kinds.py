"""The kinds of cluster k8s-oidc wires up, and what every layer may know of a kind without importing its code
(cdktf-free).

A kind is how a cluster comes to trust an identity provider and how engineers sign in to it. It is not the
config's `type`: `type: gke` is two kinds, by its `auth`. Each layer keeps one table keyed by the kind (the
stack parts, the render step's admin files, doctor's targets), and each kind's behaviour lives in a module
named after it; this table holds only the facts several layers share.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from constructs_lib.cluster.aks_claim_mappings import AKS_SUBJECT_PREFIX
from constructs_lib.outputs import ClusterType


class ClusterKind(enum.StrEnum):
    EKS = "eks"
    """Amazon EKS: an OIDC identity provider config per IdP (a pair stack each, applied one at a time)."""
    GKE_IDENTITY_SERVICE = "gke_identity_service"
    """GKE with Identity Service for GKE (`auth: identity_service`): the cluster's ClientConfig trusts the IdPs."""
    GKE_WORKFORCE = "gke_workforce"
    """GKE through Workforce Identity Federation (`auth: workforce_identity`): Google trusts the IdPs."""
    SELF_MANAGED = "self_managed"
    """`type: kubernetes`, a kube-apiserver its admins run: its AuthenticationConfiguration trusts the IdPs."""
    AKS = "aks"
    """An existing AKS cluster (`type: aks`): a JWT authenticator per IdP (a pair stack each, applied one at a time)."""


class SignIn(enum.StrEnum):
    """How kubectl gets a token for a cluster."""

    KUBELOGIN = "kubelogin"
    """kubelogin signs in at the IdP (authorization code + PKCE); the cluster checks the IdP's ID token."""
    GCLOUD = "gcloud"
    """gcloud signs in through a Google workforce pool; gke-gcloud-auth-plugin hands kubectl Google's token."""


@dataclass(frozen=True, kw_only=True)
class ClusterKindFacts:
    config_type: str
    """The config's `type` for this kind."""
    output_type: ClusterType
    """The `type` of the pair stacks' `cluster` output."""
    sign_in: SignIn
    label: str
    """How `validate` shows the kind."""
    workforce_pool: bool
    """Google trusts the IdPs through the config's `google_workforce_pool`, not the cluster: the pool and a
    web client per IdP are made first, and the pair stacks grant the pool's principals access."""
    pair_stacks_chained: bool
    """The cluster's pair stacks are applied one at a time, in the order of its `identity_providers`: EKS
    applies each identity provider association as an update of the cluster and refuses one while another
    runs (409 ResourceInUseException); AKS likewise applies each JWT authenticator as an update of the
    managed cluster ("Creates or updates JWT authenticator in the managed cluster and updates the managed
    cluster to apply the settings", its API) and refuses an operation while another is in progress (409
    OperationNotAllowed, "Another operation (Updating) is in progress")."""
    subject_prefix: str = ""
    """What the cluster puts before every username and group it maps from an ID token, ahead of the IdP's own
    prefix: AKS requires `aks:jwt:` (`aks_subject`), so RBAC subjects there are `aks:jwt:<prefix><name>`.
    Default: nothing."""


CLUSTER_KINDS: dict[ClusterKind, ClusterKindFacts] = {
    ClusterKind.EKS: ClusterKindFacts(
        config_type="eks",
        output_type=ClusterType.EKS,
        sign_in=SignIn.KUBELOGIN,
        label="eks",
        workforce_pool=False,
        pair_stacks_chained=True,
    ),
    ClusterKind.GKE_IDENTITY_SERVICE: ClusterKindFacts(
        config_type="gke",
        output_type=ClusterType.GKE,
        sign_in=SignIn.KUBELOGIN,
        label="gke",
        workforce_pool=False,
        pair_stacks_chained=False,
    ),
    ClusterKind.GKE_WORKFORCE: ClusterKindFacts(
        config_type="gke",
        output_type=ClusterType.GKE,
        sign_in=SignIn.GCLOUD,
        label="gke (workforce)",
        workforce_pool=True,
        pair_stacks_chained=False,
    ),
    ClusterKind.SELF_MANAGED: ClusterKindFacts(
        config_type="kubernetes",
        output_type=ClusterType.KUBERNETES,
        sign_in=SignIn.KUBELOGIN,
        label="kubernetes",
        workforce_pool=False,
        pair_stacks_chained=False,
    ),
    ClusterKind.AKS: ClusterKindFacts(
        config_type="aks",
        output_type=ClusterType.AKS,
        sign_in=SignIn.KUBELOGIN,
        label="aks",
        workforce_pool=False,
        pair_stacks_chained=True,
        subject_prefix=AKS_SUBJECT_PREFIX,
    ),
}

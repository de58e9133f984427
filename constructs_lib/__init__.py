"""k8s-oidc constructs: make a Kubernetes cluster trust an identity provider through OIDC.

Public API (import from `constructs_lib`):

- `OidcConfig`, `PkceMethod`, `IdentityProviderType`, `IDP_DEFAULTS`, `redirect_uris`
- Identity providers: `OktaOidcApp`/`OktaOidcAppProps`, `EntraIdOidcApp`/`EntraIdOidcAppProps`,
  `GoogleWorkspaceOidcClient`/`GoogleWorkspaceOidcClientProps`, `JumpCloudOidcClient`/`JumpCloudOidcClientProps`
- Clusters: `EksCluster`/`EksClusterProps` (created, or `EksCluster.from_cluster_name` →
  `ExistingEksCluster`), `EksOidcIdentityProvider`/`EksOidcIdentityProviderProps`,
  `GkeCluster`/`GkeClusterProps`/`ReleaseChannel` (created, or `GkeCluster.from_cluster_name` →
  `ExistingGkeCluster`), `KubernetesCluster`, `ClusterType`, `cluster_output`
- `prepare_jsii_runtime`: call it once before anything imports `cdktf` (the fast path: provider
  bindings loaded per submodule, jsii on the bundled Node; see `runtime`)

Names are loaded on first use, and importing `constructs_lib` changes nothing in the process (no
environment variable, no other module): only `prepare_jsii_runtime()` does, when called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "OidcConfig": "constructs_lib.oidc",
    "PkceMethod": "constructs_lib.oidc",
    "IdentityProviderType": "constructs_lib.oidc",
    "IDP_DEFAULTS": "constructs_lib.oidc",
    "redirect_uris": "constructs_lib.oidc",
    "OktaOidcApp": "constructs_lib.idp.okta",
    "OktaOidcAppProps": "constructs_lib.idp.okta",
    "EntraIdOidcApp": "constructs_lib.idp.entra_id",
    "EntraIdOidcAppProps": "constructs_lib.idp.entra_id",
    "GoogleWorkspaceOidcClient": "constructs_lib.idp.google_workspace",
    "GoogleWorkspaceOidcClientProps": "constructs_lib.idp.google_workspace",
    "JumpCloudOidcClient": "constructs_lib.idp.jumpcloud",
    "JumpCloudOidcClientProps": "constructs_lib.idp.jumpcloud",
    "EksCluster": "constructs_lib.cluster.eks_cluster",
    "EksClusterProps": "constructs_lib.cluster.eks_cluster",
    "ExistingEksCluster": "constructs_lib.cluster.eks_cluster",
    "EksOidcIdentityProvider": "constructs_lib.cluster.eks_oidc_provider",
    "EksOidcIdentityProviderProps": "constructs_lib.cluster.eks_oidc_provider",
    "GkeCluster": "constructs_lib.cluster.gke_cluster",
    "GkeClusterProps": "constructs_lib.cluster.gke_cluster",
    "ExistingGkeCluster": "constructs_lib.cluster.gke_cluster",
    "ReleaseChannel": "constructs_lib.cluster.gke_cluster",
    "KubernetesCluster": "constructs_lib.cluster.kubernetes_cluster",
    "ClusterType": "constructs_lib.cluster.kubernetes_cluster",
    "cluster_output": "constructs_lib.cluster.kubernetes_cluster",
    "prepare_jsii_runtime": "constructs_lib.runtime",
}

__all__ = [
    "IDP_DEFAULTS",
    "ClusterType",
    "EksCluster",
    "EksClusterProps",
    "EksOidcIdentityProvider",
    "EksOidcIdentityProviderProps",
    "EntraIdOidcApp",
    "EntraIdOidcAppProps",
    "ExistingEksCluster",
    "ExistingGkeCluster",
    "GkeCluster",
    "GkeClusterProps",
    "GoogleWorkspaceOidcClient",
    "GoogleWorkspaceOidcClientProps",
    "IdentityProviderType",
    "JumpCloudOidcClient",
    "JumpCloudOidcClientProps",
    "KubernetesCluster",
    "OidcConfig",
    "OktaOidcApp",
    "OktaOidcAppProps",
    "PkceMethod",
    "ReleaseChannel",
    "cluster_output",
    "prepare_jsii_runtime",
    "redirect_uris",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from constructs_lib.cluster.eks_cluster import EksCluster, EksClusterProps, ExistingEksCluster
    from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider, EksOidcIdentityProviderProps
    from constructs_lib.cluster.gke_cluster import ExistingGkeCluster, GkeCluster, GkeClusterProps, ReleaseChannel
    from constructs_lib.cluster.kubernetes_cluster import ClusterType, KubernetesCluster, cluster_output
    from constructs_lib.idp.entra_id import EntraIdOidcApp, EntraIdOidcAppProps
    from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient, GoogleWorkspaceOidcClientProps
    from constructs_lib.idp.jumpcloud import JumpCloudOidcClient, JumpCloudOidcClientProps
    from constructs_lib.idp.okta import OktaOidcApp, OktaOidcAppProps
    from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType, OidcConfig, PkceMethod, redirect_uris
    from constructs_lib.runtime import prepare_jsii_runtime

"""k8s-oidc constructs: make a Kubernetes cluster trust an identity provider through OIDC.

Public API (import from `constructs_lib`):

- `OidcConfig`, `PkceMethod`, `IdentityProviderType`, `IDP_DEFAULTS`, `redirect_uris`
- Identity providers: `OktaOidcApp`/`OktaOidcAppProps`, `EntraIdOidcApp`/`EntraIdOidcAppProps`,
  `GoogleWorkspaceOidcClient`/`GoogleWorkspaceOidcClientProps`, `JumpCloudOidcClient`/`JumpCloudOidcClientProps`,
  `GenericOidcClient`/`GenericOidcClientProps` (any other OpenID provider: Keycloak, Dex, Auth0, …)
- Clusters: `EksCluster`/`EksClusterProps` (created, or `EksCluster.from_cluster_name` →
  `ExistingEksCluster`), `EksOidcIdentityProvider`/`EksOidcIdentityProviderProps`,
  `GkeCluster`/`GkeClusterProps`/`ReleaseChannel` (created, or `GkeCluster.from_cluster_name` →
  `ExistingGkeCluster`), `SelfManagedCluster` (a cluster whose kube-apiserver you run, known from its
  endpoint and CA), `ExistingAksCluster`/`ExistingAksClusterProps` (an AKS cluster read from Azure),
  `AksJwtAuthenticator`/`AksJwtAuthenticatorProps`/`jwt_authenticator_name` (its trust of one IdP),
  `AzapiProvider` (the `azure/azapi` provider they need), `KubernetesCluster`, `ClusterType`, `cluster_output`
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
    "OktaOidcAppProps": "constructs_lib.idp.okta_props",
    "EntraIdOidcApp": "constructs_lib.idp.entra_id",
    "EntraIdOidcAppProps": "constructs_lib.idp.entra_id_props",
    "GoogleWorkspaceOidcClient": "constructs_lib.idp.google_workspace",
    "GoogleWorkspaceOidcClientProps": "constructs_lib.idp.google_workspace_props",
    "JumpCloudOidcClient": "constructs_lib.idp.jumpcloud",
    "JumpCloudOidcClientProps": "constructs_lib.idp.jumpcloud_props",
    "GenericOidcClient": "constructs_lib.idp.generic_oidc",
    "GenericOidcClientProps": "constructs_lib.idp.generic_oidc_props",
    "EksCluster": "constructs_lib.cluster.eks_cluster",
    "EksClusterProps": "constructs_lib.cluster.eks_cluster_props",
    "ExistingEksCluster": "constructs_lib.cluster.eks_cluster",
    "EksOidcIdentityProvider": "constructs_lib.cluster.eks_oidc_provider",
    "EksOidcIdentityProviderProps": "constructs_lib.cluster.eks_oidc_provider_props",
    "GkeCluster": "constructs_lib.cluster.gke_cluster",
    "GkeClusterProps": "constructs_lib.cluster.gke_cluster_props",
    "ExistingGkeCluster": "constructs_lib.cluster.gke_cluster",
    "ReleaseChannel": "constructs_lib.cluster.gke_cluster_props",
    "KubernetesCluster": "constructs_lib.cluster.kubernetes_cluster",
    "ClusterType": "constructs_lib.cluster.kubernetes_cluster",
    "SelfManagedCluster": "constructs_lib.cluster.self_managed",
    "ExistingAksCluster": "constructs_lib.cluster.aks_cluster",
    "ExistingAksClusterProps": "constructs_lib.cluster.aks_cluster_props",
    "AksJwtAuthenticator": "constructs_lib.cluster.aks_jwt_authenticator",
    "AksJwtAuthenticatorProps": "constructs_lib.cluster.aks_jwt_authenticator_props",
    "jwt_authenticator_name": "constructs_lib.cluster.aks_jwt_authenticator_props",
    "AzapiProvider": "constructs_lib.azapi_bindings",
    "cluster_output": "constructs_lib.cluster.kubernetes_cluster",
    "prepare_jsii_runtime": "constructs_lib.runtime",
}

__all__ = [
    "IDP_DEFAULTS",
    "AksJwtAuthenticator",
    "AksJwtAuthenticatorProps",
    "AzapiProvider",
    "ClusterType",
    "EksCluster",
    "EksClusterProps",
    "EksOidcIdentityProvider",
    "EksOidcIdentityProviderProps",
    "EntraIdOidcApp",
    "EntraIdOidcAppProps",
    "ExistingAksCluster",
    "ExistingAksClusterProps",
    "ExistingEksCluster",
    "ExistingGkeCluster",
    "GenericOidcClient",
    "GenericOidcClientProps",
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
    "SelfManagedCluster",
    "cluster_output",
    "jwt_authenticator_name",
    "prepare_jsii_runtime",
    "redirect_uris",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from constructs_lib.azapi_bindings import AzapiProvider
    from constructs_lib.cluster.aks_cluster import ExistingAksCluster
    from constructs_lib.cluster.aks_cluster_props import ExistingAksClusterProps
    from constructs_lib.cluster.aks_jwt_authenticator import AksJwtAuthenticator
    from constructs_lib.cluster.aks_jwt_authenticator_props import AksJwtAuthenticatorProps, jwt_authenticator_name
    from constructs_lib.cluster.eks_cluster import EksCluster, ExistingEksCluster
    from constructs_lib.cluster.eks_cluster_props import EksClusterProps
    from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider
    from constructs_lib.cluster.eks_oidc_provider_props import EksOidcIdentityProviderProps
    from constructs_lib.cluster.gke_cluster import ExistingGkeCluster, GkeCluster
    from constructs_lib.cluster.gke_cluster_props import GkeClusterProps, ReleaseChannel
    from constructs_lib.cluster.kubernetes_cluster import ClusterType, KubernetesCluster, cluster_output
    from constructs_lib.cluster.self_managed import SelfManagedCluster
    from constructs_lib.idp.entra_id import EntraIdOidcApp
    from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
    from constructs_lib.idp.generic_oidc import GenericOidcClient
    from constructs_lib.idp.generic_oidc_props import GenericOidcClientProps
    from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient
    from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
    from constructs_lib.idp.jumpcloud import JumpCloudOidcClient
    from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
    from constructs_lib.idp.okta import OktaOidcApp
    from constructs_lib.idp.okta_props import OktaOidcAppProps
    from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType, OidcConfig, PkceMethod, redirect_uris
    from constructs_lib.runtime import prepare_jsii_runtime

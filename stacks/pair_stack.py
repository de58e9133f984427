"""The stack of one (cluster, identity provider) pair: the IdP's OIDC application, the cluster's
trust of its issuer (EKS: an identity provider config; GKE and self-managed clusters: files the render
step writes), and the contract outputs `oidc_config`, `oidc_client_secret`, `cluster`."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from cdktf import IResolvable, TerraformOutput, TerraformStack, Token
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster, cluster_output
from constructs_lib.oidc import IdentityProviderType
from constructs_lib.outputs import CLIENT_SECRET, CLUSTER, OIDC_CONFIG
from stacks.clusters import existing_cluster
from stacks.config import Config, EksClusterConfig
from stacks.identity_providers import build_identity_provider
from stacks.providers import cluster_provider, identity_provider_provider


@functools.cache
def _null() -> IResolvable:
    """Terraform's null, fetched from jsii once rather than once per stack."""
    return Token.null_value()


def _with_nulls(value: Mapping[str, object]) -> dict[str, object]:
    """`value` with Terraform's null for each None: an explicit null, not a missing key (jsii drops None)."""
    return {key: _null() if item is None else item for key, item in value.items()}


class PairStack(TerraformStack):
    def __init__(
        self,
        scope: Construct,
        stack_name: str,
        *,
        config: Config,
        cluster_key: str,
        idp_name: str,
        created_cluster: KubernetesCluster | None = None,
    ) -> None:
        """`created_cluster`: the cluster construct of `<cluster>-cluster` when the config creates it
        (its attributes become cross-stack references); None reads the existing cluster."""
        super().__init__(scope, stack_name)
        cluster_config = config.clusters[cluster_key]
        idp_config = config.identity_providers[idp_name]
        cluster_provider(self, cluster_config)
        identity_provider_provider(self, IdentityProviderType(idp_config.type))

        cluster = created_cluster or existing_cluster(self, cluster_key, cluster_config)
        idp = build_identity_provider(self, config, idp_name, stack_name)
        if isinstance(cluster_config, EksClusterConfig):
            from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider
            from constructs_lib.cluster.eks_oidc_provider_props import EksOidcIdentityProviderProps

            EksOidcIdentityProvider(
                self,
                "eks_identity_provider",
                props=EksOidcIdentityProviderProps(cluster=cluster, oidc_config=idp.oidc_config, config_name=idp_name),
            )
        # GKE Identity Service is configured inside the cluster (ClientConfig), and a self-managed
        # cluster by its kube-apiserver's AuthenticationConfiguration file, neither through an API
        # Terraform can reach: the render step writes what their admins apply.

        # Nulls where the IdP has no groups claim (Google Workspace) and a self-managed cluster no region.
        TerraformOutput(self, OIDC_CONFIG, value=_with_nulls(idp.oidc_config.as_output()))
        if idp.client_secret is not None:
            TerraformOutput(self, CLIENT_SECRET, value=idp.client_secret, sensitive=True)
        TerraformOutput(self, CLUSTER, value=_with_nulls(cluster_output(cluster)))

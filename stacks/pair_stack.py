"""The stack of one (cluster, identity provider) pair: the IdP's OIDC application, the cluster's
trust of its issuer, and the contract outputs `oidc_config`, `oidc_client_secret`, `cluster`."""

from __future__ import annotations

import functools

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

        cluster = created_cluster or existing_cluster(self, cluster_config)
        idp = build_identity_provider(self, config, idp_name, stack_name)
        if isinstance(cluster_config, EksClusterConfig):
            from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider, EksOidcIdentityProviderProps

            EksOidcIdentityProvider(
                self,
                "eks_identity_provider",
                props=EksOidcIdentityProviderProps(cluster=cluster, oidc_config=idp.oidc_config, config_name=idp_name),
            )
        # GKE Identity Service is configured inside the cluster (ClientConfig), not through an API
        # Terraform can reach: the render step writes the admin script that does it.

        # An explicit null (not a missing key) where the IdP has no groups claim (Google Workspace).
        oidc_output = {key: _null() if value is None else value for key, value in idp.oidc_config.as_output().items()}
        TerraformOutput(self, OIDC_CONFIG, value=oidc_output)
        if idp.client_secret is not None:
            TerraformOutput(self, CLIENT_SECRET, value=idp.client_secret, sensitive=True)
        TerraformOutput(self, CLUSTER, value=cluster_output(cluster))

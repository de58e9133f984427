"""The stack of one (cluster, identity provider) pair: the IdP's OIDC application (unless the IdP shares one,
made in its stack `<idp>-idp`), the cluster's trust of its issuer (the kind's `trust`: EKS an identity provider
config, AKS a JWT authenticator; GKE and self-managed clusters files the render step writes), and the contract
outputs `oidc_config`,
`oidc_client_secret`, `cluster`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cdktf import IResolvable, TerraformOutput, TerraformStack, Token
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster, cluster_output
from constructs_lib.idp.base import OidcIdentityProvider
from constructs_lib.outputs import CLIENT_SECRET, CLUSTER, OIDC_CONFIG
from stacks.config import Config
from stacks.identity_providers import build_identity_provider, identity_provider_provider

if TYPE_CHECKING:
    from stacks.kinds.base import AnyClusterKindStacks


@functools.cache
def _null() -> IResolvable:
    """Terraform's null, fetched from jsii once rather than once per stack."""
    return Token.null_value()


def with_nulls(value: Mapping[str, object]) -> dict[str, object]:
    """`value` with Terraform's null for each None: an explicit null, not a missing key (jsii drops None)."""
    return {key: _null() if item is None else item for key, item in value.items()}


class PairStack(TerraformStack):
    def __init__(
        self,
        scope: Construct,
        stack_name: str,
        *,
        kind: AnyClusterKindStacks,
        config: Config,
        cluster_key: str,
        idp_name: str,
        created_cluster: KubernetesCluster | None = None,
        shared_application: OidcIdentityProvider | None = None,
    ) -> None:
        """`kind`: the stack parts of the cluster's kind (`stacks.kinds`). `created_cluster`: the
        cluster construct of `<cluster>-cluster` when the config creates it (its attributes become
        cross-stack references); None reads the existing cluster. `shared_application`: the IdP's
        application in `<idp>-idp` when the IdP shares one (its client id and issuer become cross-stack
        references, and this stack creates nothing at the IdP); None makes the pair's own application."""
        super().__init__(scope, stack_name)
        cluster_config = config.clusters[cluster_key]
        kind.provider(self, cluster_config)
        if shared_application is None:
            identity_provider_provider(self, config.identity_providers[idp_name].idp_type)

        cluster = created_cluster or kind.existing_cluster(self, cluster_key, cluster_config)
        idp = shared_application or build_identity_provider(self, config, idp_name, stack_name)
        kind.trust(self, cluster_config, cluster=cluster, idp=idp, idp_name=idp_name)

        # Nulls where the IdP has no groups claim (Google Workspace) and a self-managed cluster no region.
        TerraformOutput(self, OIDC_CONFIG, value=with_nulls(idp.oidc_config.as_output()))
        if idp.client_secret is not None:
            TerraformOutput(self, CLIENT_SECRET, value=idp.client_secret, sensitive=True)
        TerraformOutput(self, CLUSTER, value=with_nulls(cluster_output(cluster)))

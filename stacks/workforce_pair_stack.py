"""The pair stack of a `workforce_identity` GKE cluster: IAM that lets the IdP's federated users
fetch the cluster's credentials, and the outputs `cluster` and `workforce` (no `oidc_config`:
kubectl never talks to the IdP here, gcloud and gke-gcloud-auth-plugin do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster, cluster_output
from constructs_lib.idp.base import OidcIdentityProvider
from constructs_lib.outputs import CLUSTER, WORKFORCE, WorkforceOutput
from constructs_lib.workforce.cluster_access import WorkforceClusterAccess, WorkforceClusterAccessProps
from constructs_lib.workforce.principals import (
    group_principal_set,
    provider_id_for,
    provider_principal_set,
    user_principal,
)
from stacks.config import Config, GkeClusterConfig

if TYPE_CHECKING:
    from stacks.kinds.base import AnyClusterKindStacks


class WorkforcePairStack(TerraformStack):
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
        """As `PairStack`'s; `shared_application` is always None: gcloud signs in through the workforce pool's
        web client, never through kubelogin's application (`Config.application_stack`)."""
        assert shared_application is None, "a workforce cluster never trusts kubelogin's application"
        super().__init__(scope, stack_name)
        cluster_config = config.clusters[cluster_key]
        assert isinstance(cluster_config, GkeClusterConfig) and config.workforce_pool is not None
        pool_id = config.workforce_pool.pool_id
        provider_id = provider_id_for(idp_name)
        kind.provider(self, cluster_config)
        cluster = created_cluster or kind.existing_cluster(self, cluster_key, cluster_config)

        WorkforceClusterAccess(
            self,
            "cluster_access",
            props=WorkforceClusterAccessProps(
                project=cluster_config.project, members=workforce_members(config, cluster_key, idp_name)
            ),
        )
        TerraformOutput(self, CLUSTER, value=cluster_output(cluster))
        TerraformOutput(
            self,
            WORKFORCE,
            value=WorkforceOutput.value_of(
                pool=pool_id,
                provider=provider_id,
                project=cluster_config.project,
                location=cluster_config.location,
                cluster_name=cluster_config.cluster_name or cluster_key,
            ),
        )


def workforce_members(config: Config, cluster_key: str, idp_name: str) -> tuple[str, ...]:
    """The principals the access rules name, or everyone signing in through this IdP when no rule
    narrows it (RBAC then decides what they may do)."""
    assert config.workforce_pool is not None
    pool_id = config.workforce_pool.pool_id
    rules = config.access_rules_for(cluster_key, idp_name)
    members = {
        group_principal_set(pool_id, rule.group) if rule.group is not None else user_principal(pool_id, str(rule.user))
        for rule in rules
    }
    return tuple(sorted(members)) or (provider_principal_set(pool_id, provider_id_for(idp_name)),)

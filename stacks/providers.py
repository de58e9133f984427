"""Provider blocks per stack. Imports are inside the functions on purpose: a config that never
names Okta must not load the Okta bindings (see constructs_lib.provider_loading)."""

from __future__ import annotations

from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import gcp_region
from constructs_lib.oidc import IdentityProviderType
from stacks.config import EksClusterConfig, GkeClusterConfig, KubernetesClusterConfig

MANAGED_BY_TAG = {"managed-by": "k8s-oidc"}


def cluster_provider(scope: Construct, cluster: EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig) -> None:
    """aws (region) or google (project, region); credentials from the providers' usual sources. None for
    a self-managed cluster: no API Terraform could reach configures its kube-apiserver."""
    if isinstance(cluster, KubernetesClusterConfig):
        return
    if isinstance(cluster, EksClusterConfig):
        from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

        AwsProvider(scope, "aws", region=cluster.region, default_tags=[AwsProviderDefaultTags(tags=MANAGED_BY_TAG)])
    else:
        from cdktf_cdktf_provider_google.provider import GoogleProvider

        GoogleProvider(
            scope,
            "google",
            project=cluster.project,
            region=gcp_region(cluster.location),
            default_labels=MANAGED_BY_TAG,
        )


def identity_provider_provider(scope: Construct, idp_type: IdentityProviderType) -> None:
    """okta (OKTA_ORG_NAME, OKTA_BASE_URL, OKTA_API_TOKEN) or azuread (az login / ARM_*); none for
    Google Workspace and JumpCloud, which have nothing to create."""
    if idp_type is IdentityProviderType.OKTA:
        from cdktf_cdktf_provider_okta.provider import OktaProvider

        OktaProvider(scope, "okta")
    elif idp_type is IdentityProviderType.ENTRA_ID:
        from cdktf_cdktf_provider_azuread.provider import AzureadProvider

        AzureadProvider(scope, "azuread")

"""The EKS side of the trust: an `aws_eks_identity_provider_config` for one IdP's `OidcConfig`.

EKS trusts up to 10 OIDC identity providers per cluster from Kubernetes 1.32 (one before), one
construct each, with unique issuers. Associating one takes EKS 15-40 minutes and is an update of the
cluster, which refuses a second while one runs (409 ResourceInUseException): associate them one after
the other. Any change to the `oidc` block replaces the association (sign-in through it is down meanwhile).
"""

from __future__ import annotations

from cdktf_cdktf_provider_aws.eks_identity_provider_config import (
    EksIdentityProviderConfig,
    EksIdentityProviderConfigOidc,
)
from constructs import Construct

from constructs_lib.cluster.eks_oidc_provider_props import EksOidcIdentityProviderProps
from constructs_lib.terraform_literals import escaped


class EksOidcIdentityProvider(Construct):
    """Makes an EKS cluster accept the ID tokens of one IdP application.

    Attribute: `identity_provider_config` (the `aws_eks_identity_provider_config`).
    """

    def __init__(self, scope: Construct, id_: str, *, props: EksOidcIdentityProviderProps) -> None:
        super().__init__(scope, id_)
        tf = escaped(props)  # the props' strings as Terraform must read them
        oidc = tf.oidc_config
        self.identity_provider_config = EksIdentityProviderConfig(
            self,
            "config",
            # A token for the EKS constructs' clusters; any other `KubernetesCluster` may give a literal.
            cluster_name=escaped(props.cluster.cluster_name),
            oidc=EksIdentityProviderConfigOidc(
                identity_provider_config_name=tf.config_name,
                client_id=oidc.client_id,
                issuer_url=oidc.issuer_url,
                username_claim=oidc.user_claim,
                username_prefix=oidc.username_prefix,
                groups_claim=oidc.groups_claim,
                # A prefix without a claim would be meaningless (Google Workspace has no groups claim).
                groups_prefix=oidc.groups_prefix if oidc.groups_claim is not None else None,
                required_claims=dict(tf.required_claims) or None,
            ),
        )

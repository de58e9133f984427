"""An EKS cluster: created with secure defaults, or an existing one read by name.

Created: an IAM role for eks.amazonaws.com (AmazonEKSClusterPolicy, plus use of the secrets key), a
VPC with one private subnet per availability zone, VPC flow logs, the default security group
stripped of every rule, a KMS key (rotation on) for Kubernetes secrets and the log groups, all five
control-plane log types kept a year, private endpoint access on and public access only from the
listed CIDRs. No node group: this is the control plane OIDC needs; add nodes in your own stack.

Existing: `EksCluster.from_cluster_name` reads the cluster with the `aws_eks_cluster` data source.
"""

from __future__ import annotations

import json

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_eks_cluster import DataAwsEksCluster
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
from cdktf_cdktf_provider_aws.eks_cluster import (
    EksCluster as EksClusterResource,
)
from cdktf_cdktf_provider_aws.eks_cluster import (
    EksClusterAccessConfig,
    EksClusterEncryptionConfig,
    EksClusterEncryptionConfigProvider,
    EksClusterVpcConfig,
)
from cdktf_cdktf_provider_aws.flow_log import FlowLog
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

from constructs_lib.cluster.eks_cluster_props import EksClusterProps, ExistingEksClusterProps
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.terraform_literals import escaped

CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
"""Every control-plane log type EKS offers; `authenticator` shows OIDC/IAM sign-in decisions."""
LOG_RETENTION_DAYS = 365
"""A year of control-plane and flow logs (CIS asks for at least that much audit history)."""
CLUSTER_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
KMS_DELETION_WINDOW_DAYS = 30
"""The longest window: a key scheduled for deletion by mistake can be recovered for a month."""


class _EksClusterAttributes:
    """The `KubernetesCluster` attributes, read from the resource or the data source alike."""

    cluster_type = ClusterType.EKS
    cluster: EksClusterResource | DataAwsEksCluster
    _region: str

    @property
    def cluster_name(self) -> str:
        return self.cluster.name

    @property
    def region_or_location(self) -> str:
        return self._region

    @property
    def endpoint(self) -> str:
        """EKS reports it as `https://…` already."""
        return self.cluster.endpoint

    @property
    def certificate_authority_data(self) -> str:
        return self.cluster.certificate_authority.get(0).data


class EksCluster(_EksClusterAttributes, Construct):
    """A new EKS control plane with secure defaults (see the module docstring).

    Attributes: `cluster` (the `aws_eks_cluster`), `vpc`, `subnets`, `key` (the KMS key), `role`.
    """

    def __init__(self, scope: Construct, id_: str, *, props: EksClusterProps) -> None:
        super().__init__(scope, id_)
        self._region = props.region
        tf = escaped(props)  # the props' strings as Terraform must read them
        name = tf.cluster_name
        account_id = DataAwsCallerIdentity(self, "caller").account_id
        self.key = KmsKey(
            self,
            "key",
            description=f"EKS {name}: Kubernetes secrets and control-plane/flow logs",
            enable_key_rotation=True,
            deletion_window_in_days=KMS_DELETION_WINDOW_DAYS,
            policy=json.dumps(_key_policy(account_id, tf.region)),
        )
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block=tf.vpc_cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={"Name": f"{name}-vpc"},
        )
        # Managing the default security group with no rules takes away its allow-all-within-group
        # default: anything put into it by accident can talk to nothing.
        DefaultSecurityGroup(self, "default_security_group", vpc_id=self.vpc.id, ingress=[], egress=[])
        self.subnets = [
            Subnet(
                self,
                f"private_subnet_{zone}",
                vpc_id=self.vpc.id,
                availability_zone=tf_zone,
                cidr_block=cidr,
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-private-{tf_zone}", "kubernetes.io/role/internal-elb": "1"},
            )
            for zone, tf_zone, cidr in zip(
                props.availability_zones, tf.availability_zones, props.subnet_cidrs(), strict=True
            )
        ]
        self._flow_logs(name)
        # Created before the cluster so EKS writes into a group with our retention and key (EKS
        # would otherwise create it with no expiry and no encryption).
        control_plane_logs = CloudwatchLogGroup(
            self,
            "control_plane_log_group",
            name=f"/aws/eks/{name}/cluster",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=self.key.arn,
        )
        self.role = IamRole(
            self,
            "cluster_role",
            name_prefix="eks-cluster-",
            assume_role_policy=json.dumps(_assume_role_policy("eks.amazonaws.com")),
        )
        policy = IamRolePolicyAttachment(self, "cluster_policy", role=self.role.name, policy_arn=CLUSTER_POLICY_ARN)
        # EKS encrypts secrets with the key through the cluster role (what the AWS docs and
        # terraform-aws-eks grant); AmazonEKSClusterPolicy has no KMS permissions.
        key_use = IamRolePolicy(
            self,
            "cluster_key_policy",
            name="use-secrets-key",
            role=self.role.id,
            policy=json.dumps(
                _allow(["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], self.key.arn)
            ),
        )
        self.cluster = EksClusterResource(
            self,
            "cluster",
            name=name,
            version=tf.kubernetes_version,
            role_arn=self.role.arn,
            vpc_config=EksClusterVpcConfig(
                subnet_ids=[subnet.id for subnet in self.subnets],
                endpoint_private_access=True,
                endpoint_public_access=True,
                public_access_cidrs=list(tf.public_access_cidrs),
            ),
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            encryption_config=EksClusterEncryptionConfig(
                provider=EksClusterEncryptionConfigProvider(key_arn=self.key.arn), resources=["secrets"]
            ),
            # Access entries, not the aws-auth ConfigMap, for IAM principals; OIDC sign-in works
            # alongside either.
            access_config=EksClusterAccessConfig(authentication_mode="API"),
            depends_on=[policy, key_use, control_plane_logs],
        )

    def _flow_logs(self, name: str) -> None:
        group = CloudwatchLogGroup(
            self,
            "flow_log_group",
            name=f"/aws/vpc/{name}/flow-logs",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=self.key.arn,
        )
        role = IamRole(
            self,
            "flow_log_role",
            name_prefix="eks-flow-logs-",
            assume_role_policy=json.dumps(_assume_role_policy("vpc-flow-logs.amazonaws.com")),
        )
        # A separate policy resource: `inline_policy` on the role is deprecated in the aws provider.
        IamRolePolicy(
            self,
            "flow_log_role_policy",
            name="write-flow-logs",
            role=role.id,
            policy=json.dumps(
                _allow(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], f"{group.arn}:*")
            ),
        )
        FlowLog(
            self,
            "flow_log",
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
        )

    @classmethod
    def from_cluster_name(cls, scope: Construct, id_: str, *, cluster_name: str, region: str) -> ExistingEksCluster:
        """An existing cluster, read with the `aws_eks_cluster` data source (at plan time: the
        provider's credentials need `eks:DescribeCluster`)."""
        return ExistingEksCluster(scope, id_, cluster_name=cluster_name, region=region)


class ExistingEksCluster(_EksClusterAttributes, Construct):
    """An EKS cluster someone else owns; only read."""

    def __init__(self, scope: Construct, id_: str, *, cluster_name: str, region: str) -> None:
        ExistingEksClusterProps(cluster_name=cluster_name, region=region)  # validates before anything is built
        super().__init__(scope, id_)
        self._region = region
        self.cluster = DataAwsEksCluster(self, "cluster", name=escaped(cluster_name))


def _assume_role_policy(service: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def _allow(actions: list[str], resource: str) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]}


def _key_policy(account_id: str, region: str) -> dict[str, object]:
    """The account administers the key through IAM (so the cluster role's policy can use it), and
    CloudWatch Logs of this account and region may encrypt its log groups with it."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudWatchLogsEncrypt",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:*"}
                },
            },
        ],
    }

"""An EKS cluster: created with secure defaults, or an existing one read by name.

Created: IAM role, a VPC with one private subnet per availability zone, VPC flow logs, the default
security group stripped of rules, a KMS key (rotation on) for secrets and logs, all five control-plane
log types, private endpoint access on and public access only from the listed CIDRs. No node group:
this is the control plane OIDC needs; add nodes in your own stack.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass

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
from cdktf_cdktf_provider_aws.iam_role import IamRole, IamRoleInlinePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import ClusterType

CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
LOG_RETENTION_DAYS = 365


@dataclass(frozen=True, kw_only=True)
class EksClusterProps:
    cluster_name: str
    region: str
    kubernetes_version: str
    availability_zones: tuple[str, ...]
    """One private subnet per zone; EKS needs at least two."""
    public_access_cidrs: tuple[str, ...]
    """Who may reach the public API endpoint; 0.0.0.0/0 is refused."""
    vpc_cidr: str = "10.0.0.0/16"
    """Split into one equal private subnet per zone (up to /20 each)."""

    def __post_init__(self) -> None:
        if len(self.availability_zones) < 2:
            raise ValueError(
                f"EKS needs subnets in at least two availability zones, got {list(self.availability_zones)}"
            )
        if not self.public_access_cidrs:
            raise ValueError("public_access_cidrs must list who may reach the API endpoint")
        for cidr in self.public_access_cidrs:
            if ipaddress.IPv4Network(cidr).prefixlen == 0:
                raise ValueError(f"public_access_cidrs must not contain {cidr}: list your egress ranges instead")

    def subnet_cidrs(self) -> list[str]:
        vpc = ipaddress.IPv4Network(self.vpc_cidr)
        new_prefix = max(vpc.prefixlen + (len(self.availability_zones) - 1).bit_length(), 20)
        subnets = list(vpc.subnets(new_prefix=new_prefix))
        if len(subnets) < len(self.availability_zones):
            raise ValueError(f"vpc_cidr {self.vpc_cidr} is too small for {len(self.availability_zones)} subnets")
        return [str(subnet) for subnet in subnets[: len(self.availability_zones)]]


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
        return self.cluster.endpoint

    @property
    def certificate_authority_data(self) -> str:
        return self.cluster.certificate_authority.get(0).data


class EksCluster(_EksClusterAttributes, Construct):
    """A new EKS control plane with secure defaults (see the module docstring)."""

    def __init__(self, scope: Construct, id_: str, *, props: EksClusterProps) -> None:
        super().__init__(scope, id_)
        self._region = props.region
        account_id = DataAwsCallerIdentity(self, "caller").account_id
        key = KmsKey(
            self,
            "key",
            description=f"EKS {props.cluster_name}: Kubernetes secrets and control-plane/flow logs",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=json.dumps(_key_policy(account_id, props.region)),
        )
        vpc = Vpc(
            self,
            "vpc",
            cidr_block=props.vpc_cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={"Name": f"{props.cluster_name}-vpc"},
        )
        DefaultSecurityGroup(self, "default_security_group", vpc_id=vpc.id, ingress=[], egress=[])
        subnets = [
            Subnet(
                self,
                f"private_subnet_{zone}",
                vpc_id=vpc.id,
                availability_zone=zone,
                cidr_block=cidr,
                map_public_ip_on_launch=False,
                tags={"Name": f"{props.cluster_name}-private-{zone}", "kubernetes.io/role/internal-elb": "1"},
            )
            for zone, cidr in zip(props.availability_zones, props.subnet_cidrs(), strict=True)
        ]
        flow_log_group = CloudwatchLogGroup(
            self,
            "flow_log_group",
            name=f"/aws/vpc/{props.cluster_name}/flow-logs",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=key.arn,
        )
        flow_log_role = IamRole(
            self,
            "flow_log_role",
            name_prefix="eks-flow-logs-",
            assume_role_policy=json.dumps(_assume_role_policy("vpc-flow-logs.amazonaws.com")),
            inline_policy=[
                IamRoleInlinePolicy(
                    name="write-flow-logs",
                    policy=json.dumps(
                        {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                    "Resource": f"{flow_log_group.arn}:*",
                                }
                            ],
                        }
                    ),
                )
            ],
        )
        FlowLog(
            self,
            "flow_log",
            vpc_id=vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=flow_log_group.arn,
            iam_role_arn=flow_log_role.arn,
        )
        # Created before the cluster so EKS writes into a group with our retention and key.
        control_plane_logs = CloudwatchLogGroup(
            self,
            "control_plane_log_group",
            name=f"/aws/eks/{props.cluster_name}/cluster",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=key.arn,
        )
        role = IamRole(
            self,
            "cluster_role",
            name_prefix="eks-cluster-",
            assume_role_policy=json.dumps(_assume_role_policy("eks.amazonaws.com")),
        )
        policy = IamRolePolicyAttachment(
            self,
            "cluster_policy",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
        )
        self.cluster = EksClusterResource(
            self,
            "cluster",
            name=props.cluster_name,
            version=props.kubernetes_version,
            role_arn=role.arn,
            vpc_config=EksClusterVpcConfig(
                subnet_ids=[subnet.id for subnet in subnets],
                endpoint_private_access=True,
                endpoint_public_access=True,
                public_access_cidrs=list(props.public_access_cidrs),
            ),
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            encryption_config=EksClusterEncryptionConfig(
                provider=EksClusterEncryptionConfigProvider(key_arn=key.arn), resources=["secrets"]
            ),
            access_config=EksClusterAccessConfig(authentication_mode="API"),
            depends_on=[policy, control_plane_logs],
        )

    @classmethod
    def from_cluster_name(cls, scope: Construct, id_: str, *, cluster_name: str, region: str) -> ExistingEksCluster:
        """An existing cluster, read with the `aws_eks_cluster` data source."""
        return ExistingEksCluster(scope, id_, cluster_name=cluster_name, region=region)


class ExistingEksCluster(_EksClusterAttributes, Construct):
    """An EKS cluster someone else owns; only read."""

    def __init__(self, scope: Construct, id_: str, *, cluster_name: str, region: str) -> None:
        super().__init__(scope, id_)
        self._region = region
        self.cluster = DataAwsEksCluster(self, "cluster", name=cluster_name)


def _assume_role_policy(service: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def _key_policy(account_id: str, region: str) -> dict[str, object]:
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

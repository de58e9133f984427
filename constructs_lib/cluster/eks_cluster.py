"""An EKS cluster: created with secure defaults, or an existing one read by name.

Created: an IAM role for eks.amazonaws.com (AmazonEKSClusterPolicy, plus use of the secrets key), a
VPC with one private subnet per availability zone, VPC flow logs, the default security group
stripped of every rule, a KMS key (rotation on) for Kubernetes secrets and the log groups, all five
control-plane log types kept a year, private endpoint access on and public access only from the
listed CIDRs. No node group: this is the control plane OIDC needs; add nodes in your own stack.

Existing: `EksCluster.from_cluster_name` reads the cluster with the `aws_eks_cluster` data source.
"""

from __future__ import annotations

import ipaddress
import json
import re
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
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.cluster.network_checks import check_public_access_cidrs, ipv4_network
from constructs_lib.tokens import is_literal

CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
"""Every control-plane log type EKS offers; `authenticator` shows OIDC/IAM sign-in decisions."""
LOG_RETENTION_DAYS = 365
"""A year of control-plane and flow logs (CIS asks for at least that much audit history)."""
CLUSTER_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
KMS_DELETION_WINDOW_DAYS = 30
"""The longest window: a key scheduled for deletion by mistake can be recovered for a month."""
LARGEST_SUBNET_PREFIX = 20
"""Subnets are at most a /20 (4,091 addresses): the rest of a large VPC stays free for subnets you add."""

_CLUSTER_NAME = re.compile(r"[0-9A-Za-z][A-Za-z0-9_-]{0,99}")
_KUBERNETES_VERSION = re.compile(r"1\.[0-9]{2}")


@dataclass(frozen=True, kw_only=True)
class EksClusterProps:
    """What the created EKS control plane looks like. Values may be cdktf tokens (then only
    Terraform validates them)."""

    cluster_name: str
    """The EKS cluster name (also names the VPC, subnets and log groups)."""
    region: str
    """The AWS region of the stack's provider; used in the KMS key policy and the `cluster` output."""
    kubernetes_version: str
    """`1.NN`, e.g. `1.33`; upgrading is a change of this value (EKS upgrades in place, one minor at a time)."""
    availability_zones: tuple[str, ...]
    """One private subnet per zone; EKS needs at least two, all in `region`."""
    public_access_cidrs: tuple[str, ...]
    """Who may reach the public API endpoint (engineers' and CI's egress ranges); a `/0` is refused.
    The private endpoint is always on, so in-VPC callers need no entry."""
    vpc_cidr: str = "10.0.0.0/16"
    """The VPC's range, /16 to /24; default 10.0.0.0/16. Must be a literal (not a token): it is split at
    synth time into equal private subnets, one per zone, each at most a /20."""

    def __post_init__(self) -> None:
        if is_literal(self.cluster_name) and not _CLUSTER_NAME.fullmatch(self.cluster_name):
            raise ValueError(
                f"cluster_name {self.cluster_name!r} must start with a letter or digit and hold only letters, "
                "digits, '-' and '_' (at most 100 characters); e.g. 'prod-cluster'"
            )
        if is_literal(self.kubernetes_version) and not _KUBERNETES_VERSION.fullmatch(self.kubernetes_version):
            raise ValueError(
                f"kubernetes_version {self.kubernetes_version!r} must be a minor version such as '1.33' "
                "(quote it in YAML: 1.30 unquoted is the number 1.3)"
            )
        self._validate_zones()
        check_public_access_cidrs(self.public_access_cidrs)
        vpc = ipv4_network("vpc_cidr", self.vpc_cidr, "10.0.0.0/16")
        if not 16 <= vpc.prefixlen <= 24:
            raise ValueError(f"vpc_cidr {self.vpc_cidr} must be a /16 to /24 network (AWS VPC limits)")
        self.subnet_cidrs()  # too small for the zones: say so now, not at apply time

    def _validate_zones(self) -> None:
        zones = self.availability_zones
        if len(zones) < 2:
            raise ValueError(
                f"EKS needs subnets in at least two availability zones, got {list(zones)}; "
                f"list two or more zones of {self.region}"
            )
        if len(set(zones)) != len(zones):
            raise ValueError(f"availability_zones must not repeat a zone, got {list(zones)}")
        if is_literal(self.region):
            outside = [z for z in zones if is_literal(z) and not z.startswith(self.region)]
            if outside:
                raise ValueError(
                    f"availability zones {', '.join(outside)} are not in region {self.region}; "
                    f"use zones such as {self.region}a"
                )

    def subnet_cidrs(self) -> list[str]:
        """One private subnet range per zone, in zone order (deterministic: same input, same ranges)."""
        vpc = ipaddress.IPv4Network(self.vpc_cidr)
        needed = len(self.availability_zones)
        new_prefix = max(vpc.prefixlen + (needed - 1).bit_length(), LARGEST_SUBNET_PREFIX)
        subnets = list(vpc.subnets(new_prefix=new_prefix)) if new_prefix <= 28 else []
        if len(subnets) < needed:
            raise ValueError(
                f"vpc_cidr {self.vpc_cidr} is too small for {needed} subnets of at least /28; use a larger range"
            )
        return [str(subnet) for subnet in subnets[:needed]]


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
        name = props.cluster_name
        account_id = DataAwsCallerIdentity(self, "caller").account_id
        self.key = KmsKey(
            self,
            "key",
            description=f"EKS {name}: Kubernetes secrets and control-plane/flow logs",
            enable_key_rotation=True,
            deletion_window_in_days=KMS_DELETION_WINDOW_DAYS,
            policy=json.dumps(_key_policy(account_id, props.region)),
        )
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block=props.vpc_cidr,
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
                availability_zone=zone,
                cidr_block=cidr,
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-private-{zone}", "kubernetes.io/role/internal-elb": "1"},
            )
            for zone, cidr in zip(props.availability_zones, props.subnet_cidrs(), strict=True)
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
            version=props.kubernetes_version,
            role_arn=self.role.arn,
            vpc_config=EksClusterVpcConfig(
                subnet_ids=[subnet.id for subnet in self.subnets],
                endpoint_private_access=True,
                endpoint_public_access=True,
                public_access_cidrs=list(props.public_access_cidrs),
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
        super().__init__(scope, id_)
        if is_literal(cluster_name) and not _CLUSTER_NAME.fullmatch(cluster_name):
            raise ValueError(
                f"cluster_name {cluster_name!r} is not an EKS cluster name (letters, digits, '-' and '_', "
                "starting with a letter or digit)"
            )
        self._region = region
        self.cluster = DataAwsEksCluster(self, "cluster", name=cluster_name)


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

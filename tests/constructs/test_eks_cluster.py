"""EksCluster: every secure default in the synthesised JSON, eager props validation with exact
messages, the existing-cluster data source, and one snapshot of a created-cluster stack."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import cdktf
import pytest
from cluster_synth import Stack, blocks, name_of, only, ref, synth_stacks
from synth_support import new_stack, synth_json
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension
from terraform_hostile import ESCAPED, HOSTILE, evaluated

from constructs_lib.cluster.eks_cluster import (
    CONTROL_PLANE_LOG_TYPES,
    EksCluster,
    ExistingEksCluster,
)
from constructs_lib.cluster.eks_cluster_props import EksClusterProps
from constructs_lib.cluster.kubernetes_cluster import ClusterType, cluster_output

PROPS = EksClusterProps(
    cluster_name="demo",
    region="us-west-2",
    kubernetes_version="1.33",
    availability_zones=("us-west-2a", "us-west-2b"),
    public_access_cidrs=("203.0.113.0/24", "198.51.100.7/32"),
)


@pytest.fixture(scope="module")
def created() -> Stack:
    stack = new_stack()
    cluster = EksCluster(stack, "kubernetes_cluster", props=PROPS)
    cdktf.TerraformOutput(stack, "cluster", value=cluster_output(cluster))
    return synth_json(stack)


def policy_document(body: dict[str, Any], key: str) -> dict[str, Any]:
    return json.loads(body[key])  # type: ignore[no-any-return]


def test_the_cluster_has_the_requested_name_version_and_role(created: Stack) -> None:
    cluster = only(created, "aws_eks_cluster")
    assert cluster["name"] == "demo"
    assert cluster["version"] == "1.33"
    assert cluster["role_arn"] == f"${{aws_iam_role.{_role_trusting(created, 'eks.amazonaws.com')}.arn}}"


def _role_trusting(stack: Stack, service: str) -> str:
    """Logical name of the one IAM role `service` may assume (the stack holds two roles)."""
    (name,) = (
        n
        for n, body in blocks(stack, "aws_iam_role").items()
        if policy_document(body, "assume_role_policy")["Statement"][0]["Principal"] == {"Service": service}
    )
    return name


def test_the_cluster_role_trusts_eks_only_and_has_the_cluster_policy(created: Stack) -> None:
    role_name = _role_trusting(created, "eks.amazonaws.com")
    role = blocks(created, "aws_iam_role")[role_name]
    assert policy_document(role, "assume_role_policy")["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    attachment = only(created, "aws_iam_role_policy_attachment")
    assert attachment == {
        "policy_arn": "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
        "role": f"${{aws_iam_role.{role_name}.name}}",
    }


def test_the_cluster_role_may_use_the_secrets_key_and_nothing_else(created: Stack) -> None:
    role_name = _role_trusting(created, "eks.amazonaws.com")
    (policy,) = (p for p in blocks(created, "aws_iam_role_policy").values() if role_name in p["role"])
    assert policy_document(policy, "policy")["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
            "Resource": ref(created, "aws_kms_key", "arn"),
        }
    ]


def test_all_five_control_plane_log_types_go_to_an_encrypted_group_kept_a_year(created: Stack) -> None:
    cluster = only(created, "aws_eks_cluster")
    assert cluster["enabled_cluster_log_types"] == ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    assert set(CONTROL_PLANE_LOG_TYPES) == set(cluster["enabled_cluster_log_types"])
    (group_name,) = (
        n for n, g in blocks(created, "aws_cloudwatch_log_group").items() if g["name"] == "/aws/eks/demo/cluster"
    )
    group = blocks(created, "aws_cloudwatch_log_group")[group_name]
    assert group["retention_in_days"] == 365
    assert group["kms_key_id"] == ref(created, "aws_kms_key", "arn")
    # EKS would create the group itself (no expiry, no key) if the cluster came first.
    assert f"aws_cloudwatch_log_group.{group_name}" in cluster["depends_on"]


def test_secrets_are_encrypted_with_a_rotated_kms_key(created: Stack) -> None:
    cluster = only(created, "aws_eks_cluster")
    assert cluster["encryption_config"] == {
        "provider": {"key_arn": ref(created, "aws_kms_key", "arn")},
        "resources": ["secrets"],
    }
    key = only(created, "aws_kms_key")
    assert key["enable_key_rotation"] is True
    assert key["deletion_window_in_days"] == 30


def test_the_key_policy_names_the_account_and_this_regions_cloudwatch_logs(created: Stack) -> None:
    statements = policy_document(only(created, "aws_kms_key"), "policy")["Statement"]
    account = ref(created, "aws_caller_identity", "account_id", kind="data")
    assert [s["Principal"] for s in statements] == [
        {"AWS": f"arn:aws:iam::{account}:root"},
        {"Service": "logs.us-west-2.amazonaws.com"},
    ]
    assert statements[1]["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-west-2:{account}:*"}
    }


def test_the_endpoint_is_private_and_public_only_from_the_listed_cidrs(created: Stack) -> None:
    vpc_config = only(created, "aws_eks_cluster")["vpc_config"]
    assert vpc_config["endpoint_private_access"] is True
    assert vpc_config["endpoint_public_access"] is True
    assert vpc_config["public_access_cidrs"] == ["203.0.113.0/24", "198.51.100.7/32"]


def test_one_private_subnet_per_zone_in_the_vpc(created: Stack) -> None:
    vpc = only(created, "aws_vpc")
    assert vpc["cidr_block"] == "10.0.0.0/16"
    subnets = sorted(blocks(created, "aws_subnet").values(), key=lambda s: s["availability_zone"])
    assert [(s["availability_zone"], s["cidr_block"], s["map_public_ip_on_launch"]) for s in subnets] == [
        ("us-west-2a", "10.0.0.0/20", False),
        ("us-west-2b", "10.0.16.0/20", False),
    ]
    assert {s["vpc_id"] for s in subnets} == {ref(created, "aws_vpc", "id")}
    subnet_ids = {f"${{aws_subnet.{name}.id}}" for name in blocks(created, "aws_subnet")}
    assert set(only(created, "aws_eks_cluster")["vpc_config"]["subnet_ids"]) == subnet_ids


def test_vpc_flow_logs_record_all_traffic_into_an_encrypted_group(created: Stack) -> None:
    flow_log = only(created, "aws_flow_log")
    (group_name,) = (
        n for n, g in blocks(created, "aws_cloudwatch_log_group").items() if g["name"] == "/aws/vpc/demo/flow-logs"
    )
    assert flow_log["vpc_id"] == ref(created, "aws_vpc", "id")
    assert flow_log["traffic_type"] == "ALL"
    assert flow_log["log_destination_type"] == "cloud-watch-logs"
    assert flow_log["log_destination"] == f"${{aws_cloudwatch_log_group.{group_name}.arn}}"
    group = blocks(created, "aws_cloudwatch_log_group")[group_name]
    assert (group["retention_in_days"], group["kms_key_id"]) == (365, ref(created, "aws_kms_key", "arn"))


def test_the_flow_log_role_may_only_write_into_its_group(created: Stack) -> None:
    role_name = _role_trusting(created, "vpc-flow-logs.amazonaws.com")
    role = blocks(created, "aws_iam_role")[role_name]
    assert "inline_policy" not in role  # deprecated in the aws provider
    assert policy_document(role, "assume_role_policy")["Statement"][0]["Principal"] == {
        "Service": "vpc-flow-logs.amazonaws.com"
    }
    (policy,) = (p for p in blocks(created, "aws_iam_role_policy").values() if role_name in p["role"])
    (statement,) = policy_document(policy, "policy")["Statement"]
    assert statement["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    assert re.fullmatch(r"\$\{aws_cloudwatch_log_group\.\S+\.arn\}:\*", statement["Resource"])
    assert f"${{aws_iam_role.{role_name}.arn}}" == only(created, "aws_flow_log")["iam_role_arn"]


def test_the_default_security_group_allows_nothing(created: Stack) -> None:
    assert only(created, "aws_default_security_group") == {
        "vpc_id": ref(created, "aws_vpc", "id"),
        "ingress": [],
        "egress": [],
    }


def test_iam_access_uses_access_entries(created: Stack) -> None:
    assert only(created, "aws_eks_cluster")["access_config"] == {"authentication_mode": "API"}


def test_the_cluster_output_reads_the_resource(created: Stack) -> None:
    cluster = name_of(created, "aws_eks_cluster")
    assert created["output"]["cluster"]["value"] == {
        "name": f"${{aws_eks_cluster.{cluster}.name}}",
        "type": "eks",
        "region_or_location": "us-west-2",
        "endpoint": f"${{aws_eks_cluster.{cluster}.endpoint}}",
        "certificate_authority_data": f"${{aws_eks_cluster.{cluster}.certificate_authority[0].data}}",
    }


def test_an_existing_cluster_is_only_read() -> None:
    stack = new_stack()
    cluster = EksCluster.from_cluster_name(stack, "kubernetes_cluster", cluster_name="ProdCluster", region="eu-west-1")
    assert isinstance(cluster, ExistingEksCluster)
    assert cluster.cluster_type is ClusterType.EKS
    cdktf.TerraformOutput(stack, "cluster", value=cluster_output(cluster))
    synthesised = synth_json(stack)
    assert "resource" not in synthesised
    assert only(synthesised, "aws_eks_cluster", kind="data") == {"name": "ProdCluster"}
    data = name_of(synthesised, "aws_eks_cluster", kind="data")
    assert synthesised["output"]["cluster"]["value"] == {
        "name": f"${{data.aws_eks_cluster.{data}.name}}",
        "type": "eks",
        "region_or_location": "eu-west-1",
        "endpoint": f"${{data.aws_eks_cluster.{data}.endpoint}}",
        "certificate_authority_data": f"${{data.aws_eks_cluster.{data}.certificate_authority[0].data}}",
    }


def test_an_existing_cluster_name_is_checked() -> None:
    with pytest.raises(ValueError) as error:
        EksCluster.from_cluster_name(new_stack(), "cluster", cluster_name="prod cluster", region="eu-west-1")
    assert str(error.value) == (
        "cluster_name 'prod cluster' is not an EKS cluster name (letters, digits, '-' and '_', "
        "starting with a letter or digit)"
    )


@pytest.mark.parametrize(
    ("vpc_cidr", "zones", "expected"),
    [
        ("10.0.0.0/16", 2, ["10.0.0.0/20", "10.0.16.0/20"]),
        ("10.0.0.0/16", 3, ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]),
        ("10.1.0.0/24", 2, ["10.1.0.0/25", "10.1.0.128/25"]),
        ("10.1.0.0/24", 3, ["10.1.0.0/26", "10.1.0.64/26", "10.1.0.128/26"]),
    ],
)
def test_subnets_split_the_vpc_evenly_and_never_exceed_a_slash_20(
    vpc_cidr: str, zones: int, expected: list[str]
) -> None:
    props = dataclasses.replace(
        PROPS, vpc_cidr=vpc_cidr, availability_zones=tuple(f"us-west-2{z}" for z in "abcdef"[:zones])
    )
    assert props.subnet_cidrs() == expected


def test_tokens_are_left_to_terraform() -> None:
    stack = new_stack()
    region = cdktf.TerraformVariable(stack, "region", type="string").string_value
    cidr = cdktf.TerraformVariable(stack, "cidr", type="string").string_value
    # Neither the zone-in-region check nor the CIDR check can judge a token: both are skipped.
    props = dataclasses.replace(PROPS, region=region, public_access_cidrs=(cidr,))
    EksCluster(stack, "cluster", props=props)
    vpc_config = only(synth_json(stack), "aws_eks_cluster")["vpc_config"]
    assert vpc_config["public_access_cidrs"] == ["${var.cidr}"]


def test_snapshot_of_a_created_eks_cluster_stack(tmp_path: Path, snapshot: SnapshotAssertion) -> None:
    stacks = synth_stacks(
        """
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b}
clusters:
  demo:
    type: eks
    region: us-west-2
    create:
      kubernetes_version: "1.33"
      availability_zones: [us-west-2a, us-west-2b]
      public_access_cidrs: [203.0.113.0/24]
    identity_providers: [jc]
""",
        tmp_path,
    )
    assert stacks["demo-cluster"]["terraform"]["backend"] == {
        "local": {"path": "../../../terraform.demo-cluster.tfstate"}
    }
    assert stacks["demo-cluster"] == snapshot(extension_class=JSONSnapshotExtension)


def test_every_literal_string_reaches_terraform_as_itself_and_tokens_stay_tokens() -> None:
    """Library use: a value holding a token skips the props' checks, so its literal text can be anything;
    an availability zone is only checked to start with the region."""
    stack = new_stack()
    name = cdktf.TerraformVariable(stack, "name", type="string").string_value
    props = dataclasses.replace(
        PROPS, cluster_name=f"{HOSTILE}{name}", availability_zones=(f"us-west-2a{HOSTILE}", "us-west-2b")
    )
    cluster = EksCluster(stack, "kubernetes_cluster", props=props)
    cdktf.TerraformOutput(stack, "cluster", value=cluster_output(cluster))
    document = synth_json(stack)
    assert evaluated(document) == []
    written = f"{ESCAPED}${{var.name}}"
    assert only(document, "aws_eks_cluster")["name"] == written
    assert only(document, "aws_vpc")["tags"] == {"Name": f"{written}-vpc"}
    zoned = sorted(
        (subnet["availability_zone"], subnet["tags"]["Name"]) for subnet in blocks(document, "aws_subnet").values()
    )
    assert zoned == [
        (f"us-west-2a{ESCAPED}", f"{written}-private-us-west-2a{ESCAPED}"),
        ("us-west-2b", f"{written}-private-us-west-2b"),
    ]
    log_groups = sorted(group["name"] for group in blocks(document, "aws_cloudwatch_log_group").values())
    assert log_groups == [f"/aws/eks/{written}/cluster", f"/aws/vpc/{written}/flow-logs"]
    assert only(document, "aws_kms_key")["description"].startswith(f"EKS {written}: ")


def test_an_existing_clusters_name_reaches_terraform_as_itself() -> None:
    stack = new_stack()
    name = cdktf.TerraformVariable(stack, "name", type="string").string_value
    EksCluster.from_cluster_name(stack, "kubernetes_cluster", cluster_name=f"{HOSTILE}{name}", region="eu-west-1")
    assert only(synth_json(stack), "aws_eks_cluster", kind="data") == {"name": f"{ESCAPED}${{var.name}}"}

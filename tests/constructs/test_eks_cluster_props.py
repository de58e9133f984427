"""EksClusterProps and ExistingEksClusterProps (constructs_lib/cluster/eks_cluster_props.py): each refusal
with the value and the fix."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from test_eks_cluster import PROPS

from constructs_lib.cluster.eks_cluster_props import EksClusterProps
from constructs_lib.props_error import PropsError


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"availability_zones": ("us-west-2a",)},
            "EKS needs subnets in at least two availability zones, got ['us-west-2a']; "
            "list two or more zones of us-west-2",
        ),
        (
            {"availability_zones": ("us-west-2a", "us-west-2a")},
            "availability_zones must not repeat a zone, got ['us-west-2a', 'us-west-2a']",
        ),
        (
            {"availability_zones": ("us-west-2a", "us-east-1b")},
            "availability zones us-east-1b are not in region us-west-2; use zones such as us-west-2a",
        ),
        (
            {"public_access_cidrs": ()},
            "public_access_cidrs must list who may reach the API endpoint, e.g. ('203.0.113.0/24',) "
            "for your office or VPN egress range",
        ),
        (
            {"public_access_cidrs": ("203.0.113.0/24", "0.0.0.0/0")},
            "public_access_cidrs must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole internet; "
            "list your egress ranges instead",
        ),
        (
            {"public_access_cidrs": ("203.0.113.1/24",)},
            "public_access_cidrs entry '203.0.113.1/24' is not an IPv4 CIDR (203.0.113.1/24 has host bits set); "
            "e.g. '203.0.113.0/24'",
        ),
        (
            {"cluster_name": "-demo"},
            "cluster_name '-demo' must start with a letter or digit and hold only letters, digits, '-' and '_' "
            "(at most 100 characters); e.g. 'prod-cluster'",
        ),
        (
            {"kubernetes_version": "1.3"},
            "kubernetes_version '1.3' must be a minor version such as '1.33' "
            "(quote it in YAML: 1.30 unquoted is the number 1.3)",
        ),
        ({"vpc_cidr": "10.0.0.0/8"}, "vpc_cidr 10.0.0.0/8 must be a /16 to /24 network (AWS VPC limits)"),
        (
            {"vpc_cidr": "10.0.0.0/33"},
            "vpc_cidr '10.0.0.0/33' is not an IPv4 CIDR ('33' is not a valid netmask); e.g. '10.0.0.0/16'",
        ),
        (
            {"vpc_cidr": "10.0.0.0/24", "availability_zones": tuple(f"us-west-2-z{i}" for i in range(40))},
            "vpc_cidr 10.0.0.0/24 is too small for 40 subnets of at least /28; use a larger range",
        ),
    ],
)
def test_props_are_validated_with_a_fix_in_the_message(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        dataclasses.replace(PROPS, **changes)
    assert str(error.value) == message


def test_a_created_eks_cluster_names_zones_outside_its_region_and_the_open_internet_at_once() -> None:
    """The issue's case: zones outside the region no longer hide `0.0.0.0/0` (nor a bad version)."""
    with pytest.raises(PropsError) as raised:
        EksClusterProps(
            cluster_name="demo",
            region="us-west-2",
            kubernetes_version="1.3",
            availability_zones=("us-east-1a", "us-east-1b"),
            public_access_cidrs=("0.0.0.0/0",),
        )
    assert [(problem.field, str(problem)) for problem in raised.value.problems] == [
        (
            "kubernetes_version",
            "kubernetes_version '1.3' must be a minor version such as '1.33' (quote it in YAML: 1.30 unquoted is "
            "the number 1.3)",
        ),
        (
            "availability_zones",
            "availability zones us-east-1a, us-east-1b are not in region us-west-2; use zones such as us-west-2a",
        ),
        (
            "public_access_cidrs",
            "public_access_cidrs must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole internet; "
            "list your egress ranges instead",
        ),
    ]

"""PropsError (constructs_lib/props_error.py): a ValueError that names the prop it refuses."""

from __future__ import annotations

import pytest

from constructs_lib.cluster.eks_cluster_props import EksClusterProps
from constructs_lib.props_error import PropsError


def test_a_props_error_is_a_value_error_with_its_field() -> None:
    error = PropsError("vpc_cidr", "vpc_cidr 10.0.0.0/8 must be a /16 to /24 network (AWS VPC limits)")
    assert isinstance(error, ValueError)
    assert error.field == "vpc_cidr"
    assert str(error) == "vpc_cidr 10.0.0.0/8 must be a /16 to /24 network (AWS VPC limits)"


def test_props_raise_it_naming_the_field_of_the_value() -> None:
    # Library users catch ValueError as before; the config model reads `field` to find the YAML key.
    with pytest.raises(ValueError) as raised:
        EksClusterProps(
            cluster_name="demo",
            region="us-west-2",
            kubernetes_version="1.33",
            availability_zones=("us-west-2a", "us-west-2b"),
            public_access_cidrs=("203.0.113.0/24",),
            vpc_cidr="10.0.0.0/8",
        )
    assert isinstance(raised.value, PropsError)
    assert raised.value.field == "vpc_cidr"

"""PropsError (constructs_lib/props_error.py): a ValueError that names the prop it refuses."""

from __future__ import annotations

import pytest

from constructs_lib.cluster.eks_cluster_props import EksClusterProps
from constructs_lib.props_error import PropsError, raise_problems


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


def test_several_refusals_are_one_error_that_lists_them_all() -> None:
    first = PropsError("region", "region must be an AWS region such as 'us-west-2', got 'mars'")
    second = PropsError("vpc_cidr", "vpc_cidr 10.0.0.0/8 must be a /16 to /24 network (AWS VPC limits)")
    error = PropsError.several([first, second])
    assert isinstance(error, ValueError)
    assert error.problems == (first, second)
    assert error.field == "region"
    assert str(error) == (
        "2 problems:\n"
        "- region must be an AWS region such as 'us-west-2', got 'mars'\n"
        "- vpc_cidr 10.0.0.0/8 must be a /16 to /24 network (AWS VPC limits)"
    )


def test_one_refusal_stays_the_error_it_is_and_nested_ones_are_flattened() -> None:
    only = PropsError("region", "region must be an AWS region such as 'us-west-2', got 'mars'")
    assert PropsError.several([only]) is only
    other, last = (
        PropsError("name", "name must not be empty, got ' '"),
        PropsError("scopes", "scopes must not be empty"),
    )
    nested = PropsError.several([PropsError.several([only, other]), last])
    assert nested.problems == (only, other, last)
    assert str(nested).startswith("3 problems:\n")


def test_raise_problems_runs_every_check_and_raises_all_refusals() -> None:
    ran: list[str] = []

    def refuse(field: str) -> None:
        ran.append(field)
        raise PropsError(field, f"{field} is wrong")

    with pytest.raises(PropsError) as raised:
        raise_problems(lambda: refuse("a"), lambda: ran.append("ok"), lambda: refuse("b"))
    assert ran == ["a", "ok", "b"]
    assert [(problem.field, str(problem)) for problem in raised.value.problems] == [
        ("a", "a is wrong"),
        ("b", "b is wrong"),
    ]
    raise_problems(lambda: ran.append("fine"))  # nothing refused: nothing raised


def test_other_errors_are_not_collected() -> None:
    # A programming error stops at once instead of hiding among the refusals.
    with pytest.raises(ZeroDivisionError):
        raise_problems(lambda: 1 // 0, lambda: None)

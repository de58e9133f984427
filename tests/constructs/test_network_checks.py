"""The network checks shared by the created-cluster props."""

from __future__ import annotations

import pytest

from constructs_lib.cluster.network_checks import check_public_access_cidrs, ipv4_network
from constructs_lib.props_error import PropsError


def test_valid_ranges_pass() -> None:
    check_public_access_cidrs(("203.0.113.0/24", "198.51.100.7/32"))
    assert str(ipv4_network("vpc_cidr", "10.0.0.0/16", "10.0.0.0/16")) == "10.0.0.0/16"


@pytest.mark.parametrize(
    ("cidrs", "message"),
    [
        ((), "public_access_cidrs must list who may reach the API endpoint"),
        (("0.0.0.0/0",), "public_access_cidrs must not contain 0.0.0.0/0: it opens the Kubernetes API"),
        (("10.0.0.1/16",), "public_access_cidrs entry '10.0.0.1/16' is not an IPv4 CIDR"),
    ],
)
def test_bad_public_access_cidrs(cidrs: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        check_public_access_cidrs(cidrs)
    assert message in str(raised.value)


def test_every_refused_range_is_named() -> None:
    with pytest.raises(PropsError) as raised:
        check_public_access_cidrs(("203.0.113.0/24", "0.0.0.0/0", "10.0.0.1/16"))
    assert [str(problem) for problem in raised.value.problems] == [
        "public_access_cidrs must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole internet; "
        "list your egress ranges instead",
        "public_access_cidrs entry '10.0.0.1/16' is not an IPv4 CIDR (10.0.0.1/16 has host bits set); "
        "e.g. '203.0.113.0/24'",
    ]

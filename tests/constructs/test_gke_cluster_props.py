"""GkeClusterProps (constructs_lib/cluster/gke_cluster_props.py): each refusal with the value and the fix."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from test_gke_cluster import PROPS

from constructs_lib.props_error import PropsError


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"cluster_name": "Lab"},
            "cluster_name 'Lab' must be lowercase letters, digits and '-', start with a letter, not end with '-', "
            "at most 40 characters; e.g. 'lab'",
        ),
        (
            {"location": "us_central1"},
            "location 'us_central1' must be a region such as 'us-central1' or a zone such as 'us-central1-a'",
        ),
        ({"node_count": 0}, "node_count must be at least 1, got 0: Identity Service runs on the nodes"),
        (
            {"secrets_encryption_key": "secrets"},
            "secrets_encryption_key 'secrets' must be a Cloud KMS key id, "
            "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>",
        ),
        (
            {"public_access_cidrs": ()},
            "public_access_cidrs must list who may reach the API endpoint, e.g. ('203.0.113.0/24',) "
            "for your office or VPN egress range",
        ),
        (
            {"public_access_cidrs": ("0.0.0.0/0",)},
            "public_access_cidrs must not contain 0.0.0.0/0: it opens the Kubernetes API to the whole internet; "
            "list your egress ranges instead",
        ),
        (
            {"public_access_cidrs": ("office",)},
            "public_access_cidrs entry 'office' is not an IPv4 CIDR (Expected 4 octets in 'office'); "
            "e.g. '203.0.113.0/24'",
        ),
        (
            {"master_cidr": "172.16.0.0/24"},
            "master_cidr 172.16.0.0/24 must be a /28 (GKE requirement), e.g. '172.16.0.0/28'",
        ),
        (
            {"pods_cidr": "10.10.0.0/16"},
            "subnet_cidr 10.10.0.0/20 overlaps pods_cidr 10.10.0.0/16; give each range its own addresses",
        ),
        (
            {"master_cidr": "10.30.0.0/28"},
            "services_cidr 10.30.0.0/20 overlaps master_cidr 10.30.0.0/28; give each range its own addresses",
        ),
    ],
)
def test_props_are_validated_with_a_fix_in_the_message(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        dataclasses.replace(PROPS, **changes)
    assert str(error.value) == message


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        dataclasses.replace(
            PROPS,
            project="Acme",
            location="westeurope",
            public_access_cidrs=("0.0.0.0/0", "10.0.0.1/8"),
            pods_cidr="10.10.0.0/16",
            master_cidr="172.16.0.0/24",
            services_cidr="10.30.0.0/33",
        )
    assert [problem.field for problem in raised.value.problems] == [
        "project",
        "location",
        "public_access_cidrs",
        "public_access_cidrs",
        "services_cidr",
        "master_cidr",
        "pods_cidr",
    ]
    messages = [str(problem) for problem in raised.value.problems]
    assert messages[5] == "master_cidr 172.16.0.0/24 must be a /28 (GKE requirement), e.g. '172.16.0.0/28'"
    assert messages[6] == (
        "subnet_cidr 10.10.0.0/20 overlaps pods_cidr 10.10.0.0/16; give each range its own addresses"
    )
    assert str(raised.value).startswith("7 problems:\n- project must be a Google Cloud project id")

"""WorkforcePool: the org-level pool in the `global` location, validated eagerly."""

from __future__ import annotations

import pytest
from synth_support import new_stack, synth_json

from constructs_lib.workforce.pool import WorkforcePool
from constructs_lib.workforce.pool_props import WorkforcePoolProps


def test_pool_resource() -> None:
    stack = new_stack()
    WorkforcePool(
        stack,
        "pool",
        props=WorkforcePoolProps(organization_id="123456789012", pool_id="k8s-engineers", session_duration="3600s"),
    )
    (pool,) = synth_json(stack)["resource"]["google_iam_workforce_pool"].values()  # type: ignore[index]
    assert pool["parent"] == "organizations/123456789012"
    assert pool["location"] == "global"
    assert pool["workforce_pool_id"] == "k8s-engineers"
    assert pool["session_duration"] == "3600s"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organization_id": "acme"}, "organization_id must be the numeric organization id, got 'acme'"),
        ({"pool_id": "gcp-pool"}, "pool_id must be 6-63 characters of a-z, 0-9 and '-', not starting with 'gcp-'"),
        ({"pool_id": "tiny"}, "got 'tiny'"),
        ({"session_duration": "900s"}, "more than 900s and less than 43200s, got '900s'"),
    ],
)
def test_props_are_validated(changes: dict[str, str], message: str) -> None:
    props = {"organization_id": "123456789012", "pool_id": "k8s-engineers", **changes}
    with pytest.raises(ValueError, match=None) as raised:
        WorkforcePoolProps(**props)
    assert message in str(raised.value)

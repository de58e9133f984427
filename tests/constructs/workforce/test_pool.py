"""WorkforcePool: the org-level pool in the `global` location, validated eagerly."""

from __future__ import annotations

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

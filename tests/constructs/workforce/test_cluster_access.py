"""WorkforceClusterAccess: one additive clusterViewer binding per workforce principal."""

from __future__ import annotations

import pytest
from synth_support import new_stack, synth_json
from terraform_hostile import ESCAPED, HOSTILE, evaluated

from constructs_lib.workforce.cluster_access import WorkforceClusterAccess, WorkforceClusterAccessProps
from constructs_lib.workforce.principals import group_principal_set, user_principal


def test_one_member_binding_per_principal() -> None:
    members = (group_principal_set("k8s-pool", "k8s-admins"), user_principal("k8s-pool", "jane@example.com"))
    stack = new_stack()
    WorkforceClusterAccess(stack, "access", props=WorkforceClusterAccessProps(project="acme-data", members=members))
    bindings = synth_json(stack)["resource"]["google_project_iam_member"].values()  # type: ignore[index]
    assert sorted((b["project"], b["role"], b["member"]) for b in bindings) == sorted(
        ("acme-data", "roles/container.clusterViewer", member) for member in members
    )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ((), "members must name at least one workforce principal"),
        (
            ("user:jane@example.com",),
            "member 'user:jane@example.com' is not a workforce pool principal(Set):// identifier",
        ),
    ],
)
def test_members_are_validated(members: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        WorkforceClusterAccessProps(project="acme-data", members=members)
    assert message in str(raised.value)


def test_every_literal_string_reaches_terraform_as_itself() -> None:
    member = f"principalSet://iam.googleapis.com/locations/global/workforcePools/{HOSTILE}"
    stack = new_stack()
    props = WorkforceClusterAccessProps(project=HOSTILE, role=HOSTILE, members=(member,))
    WorkforceClusterAccess(stack, "access", props=props)
    document = synth_json(stack)
    assert evaluated(document) == []
    (binding,) = document["resource"]["google_project_iam_member"].values()  # type: ignore[index]
    assert binding == {
        "project": ESCAPED,
        "role": ESCAPED,
        "member": f"principalSet://iam.googleapis.com/locations/global/workforcePools/{ESCAPED}",
    }

"""RBAC bindings (render/rbac.py): subjects are prefixed as the cluster sees them, and none may be one of
Kubernetes' own `system:` users or groups — asserted where the subjects are written, whatever let a
prefix through before (defence in depth: the config and the outputs already refuse such prefixes)."""

from __future__ import annotations

import pytest

from render.rbac import bindings
from stacks.config import AccessRule
from stacks.errors import UserError

ADMINS = AccessRule(identity_provider="okta-main", group="k8s-admins", cluster_role="cluster-admin")
JANE = AccessRule(identity_provider="okta-main", user="jane@example.com", cluster_role="view", namespace="team-a")


def test_subjects_carry_the_prefix_of_their_kind() -> None:
    made = bindings("okta-main", [ADMINS, JANE], stack="prod-okta-main", user_prefix="okta:", group_prefix="okta-g:")
    assert [(b.kind, b.subject_kind, b.subject, b.namespace) for b in made] == [
        ("ClusterRoleBinding", "Group", "okta-g:k8s-admins", None),
        ("RoleBinding", "User", "okta:jane@example.com", "team-a"),
    ]


@pytest.mark.parametrize(
    ("rule", "user_prefix", "group_prefix", "subject"),
    [
        (
            AccessRule(identity_provider="okta-main", group="tem:masters", cluster_role="view"),
            "ok:",
            "sys",
            "system:masters",
        ),
        (
            AccessRule(identity_provider="okta-main", group="system:masters", cluster_role="view"),
            "ok:",
            "",
            "system:masters",
        ),
        (
            AccessRule(identity_provider="okta-main", user="tem:admin", cluster_role="edit"),
            "sys",
            "ok:",
            "system:admin",
        ),
    ],
    ids=["sys-and-a-group", "empty-prefix", "a-user"],
)
def test_a_system_subject_is_bad_input_naming_the_stack_and_the_rule(
    rule: AccessRule, user_prefix: str, group_prefix: str, subject: str
) -> None:
    with pytest.raises(UserError) as raised:
        bindings(
            "okta-main", [ADMINS, rule], stack="prod-okta-main", user_prefix=user_prefix, group_prefix=group_prefix
        )
    assert raised.value.source == "prod-okta-main"
    ((problem,),) = [raised.value.problems]
    kind, name = ("group", rule.group) if rule.group is not None else ("user", rule.user)
    prefix = group_prefix if rule.group is not None else user_prefix
    assert problem.path == "rbac.yaml"
    assert problem.message == (
        f"the access rule for {kind} {name!r} of okta-main ({rule.cluster_role}) would bind {subject!r}, one of "
        f"Kubernetes' own system: users and groups; the prefix {prefix!r} must not make such names (check the IdP's "
        "prefix in the config and who changed the stack's outputs)"
    )

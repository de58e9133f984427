"""RBAC bindings from the config's `access:` rules, with the subjects as the cluster sees them (prefixed)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from constructs_lib.kubernetes_subjects import RESERVED_PREFIX, is_reserved_subject
from constructs_lib.outputs import shorten
from stacks.config import AccessRule
from stacks.errors import Problem, UserError

RBAC_API_GROUP = "rbac.authorization.k8s.io"
MANAGED_BY = {"app.kubernetes.io/managed-by": "k8s-oidc"}


@dataclass(frozen=True)
class Binding:
    """One access rule as applied to one pair stack."""

    name: str
    kind: str
    """ClusterRoleBinding, or RoleBinding when the rule names a namespace."""
    namespace: str | None
    subject_kind: str
    """Group or User."""
    subject: str
    """Prefixed, as kube-apiserver names the user or group."""
    idp_subject: str
    """The user or group as the identity provider names it: the access rule's `user` or `group`."""
    cluster_role: str

    def manifest(self) -> dict[str, Any]:
        metadata: dict[str, Any] = {"name": self.name}
        if self.namespace is not None:
            metadata["namespace"] = self.namespace
        metadata["labels"] = dict(MANAGED_BY)
        return {
            "apiVersion": f"{RBAC_API_GROUP}/v1",
            "kind": self.kind,
            "metadata": metadata,
            "subjects": [{"kind": self.subject_kind, "name": self.subject, "apiGroup": RBAC_API_GROUP}],
            "roleRef": {"kind": "ClusterRole", "name": self.cluster_role, "apiGroup": RBAC_API_GROUP},
        }


def bindings(idp: str, rules: list[AccessRule], *, stack: str, user_prefix: str, group_prefix: str) -> list[Binding]:
    """The bindings of `rules` (those of one IdP and cluster, for the pair stack `stack`), without
    duplicates, in config order. The cluster knows a user or group by its name after a prefix: the IdP's
    (OIDC), or the workforce pool's principal prefix.

    No subject may be one of Kubernetes' own `system:` users and groups. The prefixes are checked
    already (config and outputs: `kubernetes_subjects`), which makes such a subject impossible; this
    asserts it where the subjects are written, so a gap anywhere before is bad input, not cluster-admin."""
    result: dict[str, Binding] = {}
    for rule in rules:
        if rule.group is not None:
            subject_kind, raw_subject, prefix = "Group", rule.group, group_prefix
        else:
            assert rule.user is not None  # the config model requires exactly one of group and user
            subject_kind, raw_subject, prefix = "User", rule.user, user_prefix
        # The name depends on what the rule says, not on how the cluster names the subject: re-applying
        # after a prefix change updates the binding in place (roleRef is immutable: the role is in the name).
        digest = hashlib.sha256(
            json.dumps([idp, subject_kind, raw_subject, rule.cluster_role, rule.namespace]).encode()
        ).hexdigest()[:8]
        role_slug = re.sub(r"[^a-z0-9]+", "-", rule.cluster_role).strip("-")[:180]
        if is_reserved_subject(prefix + raw_subject):
            raise UserError(
                stack,
                [
                    Problem(
                        "rbac.yaml",
                        f"the access rule for {subject_kind.lower()} {raw_subject!r} of {idp} ({rule.cluster_role}) "
                        f"would bind {shorten(prefix + raw_subject)!r}, one of Kubernetes' own {RESERVED_PREFIX} "
                        f"users and groups; the prefix {prefix!r} must not make such names (check the IdP's prefix "
                        "in the config and who changed the stack's outputs)",
                    )
                ],
            )
        binding = Binding(
            name=f"k8s-oidc-{idp}-{role_slug}-{digest}",
            kind="ClusterRoleBinding" if rule.namespace is None else "RoleBinding",
            namespace=rule.namespace,
            subject_kind=subject_kind,
            subject=prefix + raw_subject,
            idp_subject=raw_subject,
            cluster_role=rule.cluster_role,
        )
        result.setdefault(binding.name, binding)
    return list(result.values())

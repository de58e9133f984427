"""Kubernetes' reserved `system:` names, and the one rule that keeps every subject k8s-oidc makes out of
them (cdktf-free: the IdP and EKS props, the output contract and the render step's RBAC use it).

Kubernetes' own users and groups start with `system:` (`system:masters` is cluster-admin, bound by no
RBAC object and never revocable). A subject the cluster sees is the IdP's prefix followed by the name
the IdP sends, and the IdP's names are not ours to check. So the prefix alone must make a `system:`
name impossible: it may not be empty (an IdP group `system:masters` would be the real one), start with
`system:`, or be a leading part of it (`sys` + an IdP group `tem:masters` is `system:masters`).
Any other prefix, followed by anything, can't start with `system:`.
"""

from __future__ import annotations

RESERVED_PREFIX = "system:"
"""Kubernetes' own users and groups: no subject k8s-oidc writes or maps may start with it."""
_ADMIN_GROUP = "system:masters"


def reserved_prefix_problem(prefix: str) -> str | None:
    """Why subjects behind `prefix` could be Kubernetes' own `system:` users and groups, or None.

    The phrase reads after the prefix's name and value (`prefix 'sys' must not …`), so each caller adds
    the fix that fits where the prefix came from."""
    if not prefix:
        return (
            "must not be empty: subjects from the IdP would be indistinguishable from other users and groups, "
            f"and an IdP group named {_ADMIN_GROUP!r} would be Kubernetes' own admin group"
        )
    if prefix.startswith(RESERVED_PREFIX):
        return (
            f"must not start with {RESERVED_PREFIX!r} (reserved for Kubernetes' own users and groups: an IdP group "
            "'masters' would become 'system:masters')"
        )
    if RESERVED_PREFIX.startswith(prefix):
        rest = _ADMIN_GROUP[len(prefix) :]
        return (
            f"must not be the start of {RESERVED_PREFIX!r} (reserved for Kubernetes' own users and groups: an IdP "
            f"group {rest!r} would become {_ADMIN_GROUP!r})"
        )
    return None


def is_reserved_subject(subject: str) -> bool:
    """A user or group name in Kubernetes' reserved `system:` namespace."""
    return subject.startswith(RESERVED_PREFIX)

"""The `access` section: who gets which role, rendered into `rbac.yaml` of the matching pair stacks."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from stacks.config.strict_model import StrictModel
from stacks.config.value_types import Matching, Name, Text, unique

Subject = Text
"""A group or user as the IdP names it: any printable text, spaces included (Entra group display names)."""


class AccessRule(StrictModel):
    """One RBAC binding, rendered into `rbac.yaml` of the matching pair stacks."""

    identity_provider: Name
    """The identity provider whose users or groups this rule binds."""
    group: Subject | None = None
    """A group name as the IdP puts it in the groups claim (bound with the IdP's prefix)."""
    user: Subject | None = None
    """A user as the IdP names them in the user claim, e.g. jane@example.com (bound with the prefix)."""
    cluster_role: Annotated[
        str,
        Matching(
            r"^[a-z0-9]([a-z0-9:._-]{0,251}[a-z0-9])?$",
            "a ClusterRole name (lowercase letters, digits, ':', '.', '_' and '-')",
            "cluster-admin",
        ),
    ]
    """The ClusterRole to bind, e.g. `cluster-admin`, `edit` or `view`."""
    clusters: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)] | None = None
    """The clusters the rule applies to; default: every cluster that uses this identity provider."""
    namespace: (
        Annotated[
            str,
            Matching(
                r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                "a namespace name (lowercase letters, digits and '-', at most 63 characters)",
                "team-a",
            ),
        ]
        | None
    ) = None
    """Default: a ClusterRoleBinding; set: a RoleBinding in this namespace."""

    @model_validator(mode="after")
    def _group_xor_user(self) -> AccessRule:
        if (self.group is None) == (self.user is None):
            raise ValueError("give exactly one of `group` or `user`")
        return self

"""A Google Cloud workforce identity pool: where federated IdP users become Google principals."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cdktf_cdktf_provider_google.iam_workforce_pool import IamWorkforcePool
from constructs import Construct

WORKFORCE_LOCATION = "global"
"""Workforce pools exist only in the `global` location."""


@dataclass(frozen=True, kw_only=True)
class WorkforcePoolProps:
    organization_id: str
    """Numeric id of the Google Cloud organization that owns the pool."""
    pool_id: str
    """6–63 characters of a-z, 0-9 and '-', not starting with `gcp-`."""
    session_duration: str | None = None
    """Sign-in lifetime such as `3600s` (more than 900s, less than 43200s); default: Google's one hour."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[1-9][0-9]{5,24}", self.organization_id):
            raise ValueError(f"organization_id must be the numeric organization id, got {self.organization_id!r}")
        if not re.fullmatch(r"[a-z0-9-]{6,63}", self.pool_id) or self.pool_id.startswith("gcp-"):
            raise ValueError(
                f"pool_id must be 6-63 characters of a-z, 0-9 and '-', not starting with 'gcp-', got {self.pool_id!r}"
            )
        if self.session_duration is not None:
            match = re.fullmatch(r"([0-9]+)s", self.session_duration)
            if match is None or not 900 < int(match.group(1)) < 43200:
                raise ValueError(
                    f"session_duration must be like '3600s', more than 900s and less than 43200s, "
                    f"got {self.session_duration!r}"
                )


class WorkforcePool(Construct):
    """`google_iam_workforce_pool` under `organizations/<id>`, location `global`."""

    def __init__(self, scope: Construct, id_: str, *, props: WorkforcePoolProps) -> None:
        super().__init__(scope, id_)
        self.pool_id = props.pool_id
        self.pool = IamWorkforcePool(
            self,
            "pool",
            parent=f"organizations/{props.organization_id}",
            location=WORKFORCE_LOCATION,
            workforce_pool_id=props.pool_id,
            display_name="k8s-oidc engineers",
            description="Kubernetes (GKE) sign-in federated from the company identity providers (k8s-oidc)",
            session_duration=props.session_duration,
        )

"""Props of the workforce pool construct and the id rule of its OIDC providers (cdktf-free: the config
model builds these to validate `oidc.yaml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_lib.props_error import PropsError, raise_problems

WORKFORCE_LOCATION = "global"
"""Workforce pools exist only in the `global` location."""


@dataclass(frozen=True, kw_only=True)
class WorkforcePoolProps:
    organization_id: str
    """Numeric id of the Google Cloud organization, e.g. "123456789012".

    The organization that owns the pool."""
    pool_id: str
    """6–63 characters of a-z, 0-9 and '-', not starting with `gcp-`."""
    session_duration: str | None = None
    """How long sign-ins last, e.g. `3600s`; more than 900s and less than 43200s. Default: Google's (1 hour)."""

    def __post_init__(self) -> None:
        raise_problems(self._check_organization_id, self._check_pool_id, self._check_session_duration)

    def _check_organization_id(self) -> None:
        if not re.fullmatch(r"[1-9][0-9]{5,24}", self.organization_id):
            raise PropsError(
                "organization_id", f"organization_id must be the numeric organization id, got {self.organization_id!r}"
            )

    def _check_pool_id(self) -> None:
        if not re.fullmatch(r"[a-z0-9-]{6,63}", self.pool_id) or self.pool_id.startswith("gcp-"):
            raise PropsError(
                "pool_id",
                f"pool_id must be 6-63 characters of a-z, 0-9 and '-', not starting with 'gcp-', got {self.pool_id!r}",
            )

    def _check_session_duration(self) -> None:
        if self.session_duration is not None:
            match = re.fullmatch(r"([0-9]+)s", self.session_duration)
            if match is None or not 900 < int(match.group(1)) < 43200:
                raise PropsError(
                    "session_duration",
                    f"session_duration must be like '3600s', more than 900s and less than 43200s, "
                    f"got {self.session_duration!r}",
                )


def check_workforce_provider_id(provider_id: str) -> None:
    """A workforce pool provider id: 4–32 characters of a-z, 0-9 and '-', not starting with `gcp-`."""
    if not re.fullmatch(r"[a-z0-9-]{4,32}", provider_id) or provider_id.startswith("gcp-"):
        raise PropsError(
            "provider_id",
            f"provider_id must be 4-32 characters of a-z, 0-9 and '-', not starting with 'gcp-', got {provider_id!r}",
        )

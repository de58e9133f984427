"""The error every props class raises for a value it refuses (cdktf-free).

It is a `ValueError`, so library users catch it as before; `field` names the prop the value came from
(dotted for a nested value, e.g. `create.pods_cidr`), which lets the config model report the error at
the YAML key the value came from instead of at the whole entry.
"""

from __future__ import annotations


class PropsError(ValueError):
    """A props value refused: `field` is the prop, the message says what was wrong and the fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

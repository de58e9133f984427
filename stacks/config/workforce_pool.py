"""The `google_workforce_pool` section: the pool `workforce_identity` GKE clusters trust."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator

from constructs_lib.workforce.pool_props import WorkforcePoolProps
from stacks.config.options import option, option_values
from stacks.config.strict_model import StrictModel
from stacks.config.value_types import Text


class WorkforcePool(StrictModel):
    """The Google Cloud workforce identity pool that `workforce_identity` GKE clusters trust. The rules on
    these values live in `constructs_lib/workforce/pool_props.py`."""

    PROPS: ClassVar[type[WorkforcePoolProps]] = WorkforcePoolProps

    # A YAML number is taken too (see below), so the schema admits both.
    organization_id: Annotated[Text, Field(json_schema_extra={"type": ["string", "integer"]})] = option(
        WorkforcePoolProps, "organization_id"
    )
    pool_id: Text = option(WorkforcePoolProps, "pool_id")
    session_duration: Text | None = option(WorkforcePoolProps, "session_duration")

    @field_validator("organization_id", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def props(self) -> WorkforcePoolProps:
        return WorkforcePoolProps(**option_values(self, WorkforcePoolProps))

"""A GKE cluster reached through Workforce Identity Federation, in the stacks: as any GKE cluster (created
without Identity Service), but its pair stacks grant the workforce pool's principals access instead of
trusting the IdP (`stacks.workforce_pair_stack`); the pool itself is the `workforce-pool` stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stacks.kinds.gke import GkeStacks

if TYPE_CHECKING:
    from stacks.pair_stack import PairStack
    from stacks.workforce_pair_stack import WorkforcePairStack


class GkeWorkforceStacks(GkeStacks):
    def pair_stack_class(self) -> type[PairStack | WorkforcePairStack]:
        # Imported on use: it loads the workforce bindings, which most configs never need.
        from stacks.workforce_pair_stack import WorkforcePairStack

        return WorkforcePairStack

"""A GKE cluster reached through Workforce Identity Federation, in the stacks: as any GKE cluster (created
without Identity Service), but its pair stacks grant the workforce pool's principals access instead of
trusting the IdP (`stacks.workforce_pair_stack`); the pool itself is the `workforce-pool` stack."""

from __future__ import annotations

from stacks.kinds.base import PairStackClass
from stacks.kinds.gke import GkeStacks


class GkeWorkforceStacks(GkeStacks):
    def pair_stack_class(self) -> PairStackClass:
        # Imported on use: it loads the workforce bindings, which most configs never need.
        from stacks.workforce_pair_stack import WorkforcePairStack

        return WorkforcePairStack

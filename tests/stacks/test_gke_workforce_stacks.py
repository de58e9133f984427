"""A GKE cluster reached through Workforce Identity Federation, in the stacks (stacks/kinds/gke_workforce.py):
the GKE parts, but its own pair stack, whose bindings are loaded only when a config has such a cluster."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from stacks.kinds.gke import GkeStacks
from stacks.kinds.gke_workforce import GkeWorkforceStacks
from stacks.workforce_pair_stack import WorkforcePairStack

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_a_workforce_cluster_has_the_gke_parts_and_the_workforce_pair_stack() -> None:
    assert issubclass(GkeWorkforceStacks, GkeStacks)
    assert GkeWorkforceStacks().pair_stack_class() is WorkforcePairStack
    assert GkeStacks().pair_stack_class() is not WorkforcePairStack


def test_the_workforce_pair_stack_is_loaded_only_when_asked_for() -> None:
    """Most configs have no workforce cluster: the table of kinds alone must not load its stack and bindings."""
    probe = (
        "import json, sys\n"
        "from stacks.kinds.gke_workforce import GkeWorkforceStacks\n"
        "before = 'stacks.workforce_pair_stack' in sys.modules\n"
        "GkeWorkforceStacks().pair_stack_class()\n"
        "print(json.dumps([before, 'stacks.workforce_pair_stack' in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(result.stdout) == [False, True]

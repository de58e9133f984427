"""The docs tests run the README's quick start, whose doctor step needs a real OpenID provider: the doctor
tests' own (tests/doctor/doctor_support.py), importable here too."""

from __future__ import annotations

import sys
from pathlib import Path

DOCTOR_TESTS = str(Path(__file__).resolve().parents[1] / "doctor")
if DOCTOR_TESTS not in sys.path:
    sys.path.append(DOCTOR_TESTS)

"""How the benchmarks measure a command: wall time and peak RSS of a child process, the median of RUNS runs.

Peak RSS is the largest sum of the resident memory of the child and all its descendants (python + the jsii
node processes), sampled every 50 ms from /proc.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float


def _family_rss_kib(root: int) -> int:
    """Current RSS of `root` and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        pid = int(status.parent.name)
        parents[pid] = int(fields.get("PPid", "0"))
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in family)


def measure(command: list[str], env: Mapping[str, str | None] | None = None) -> Measure:
    """One run of `command`; `env` adds variables to this process's environment (None: removes one)."""
    # stderr to a file, not a pipe: a command that prints more than a pipe holds (render's progress
    # lines) would block on it while this loop waits for the command.
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=_environment(env), stdout=subprocess.DEVNULL, stderr=stderr
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, _family_rss_kib(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode(errors="replace")
            raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{message}")
    return Measure(seconds, peak / 1024)


def _environment(env: Mapping[str, str | None] | None) -> dict[str, str]:
    environment = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def median(command: list[str], env: Mapping[str, str | None] | None = None, *, warm_up: bool = False) -> Measure:
    if warm_up:
        measure(command, env)
    runs = [measure(command, env) for _ in range(RUNS)]
    return Measure(statistics.median(r.seconds for r in runs), statistics.median(r.peak_mb for r in runs))

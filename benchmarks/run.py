"""`make bench`: synth, validate and render timings beside the baseline, all from one run (a fleet's render
and all-clusters re-run: `benchmarks.all_clusters`).

Every figure is the median of RUNS child processes (`benchmarks.measure`). Prints a Markdown table for
docs/performance.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks import all_clusters, terraform_cloud
from benchmarks.generate import aks_config_text, config_document, config_text, mixed_config_text, outputs_text
from benchmarks.measure import PROJECT_ROOT, RUNS, Measure, median

BASELINE_IMPORT = "import " + ", ".join(f"cdktf_cdktf_provider_{name}" for name in ("aws", "google", "okta", "azuread"))
SYNTH_SIZES = (10, 50, 140)
RENDER_STACKS = 1000
OPTIMISED_SYNTH_STACKS = 1000


def optimised_synth_rows(work: Path, baseline: Measure | None) -> list[tuple[str, str, str, str]]:
    """Synth of OPTIMISED_SYNTH_STACKS stacks with the provider bindings' run-time type checks on
    (PYTHONOPTIMIZE=0) and as synth runs by default (restarted under `python -O`). Both read bytecode
    from a cache of their own (PYTHONPYCACHEPREFIX), filled by one run each that is not counted: what a
    machine that synthesised before has, whatever this environment's own caches hold."""
    config = work / f"config-{OPTIMISED_SYNTH_STACKS}.yaml"
    config.write_text(config_text(OPTIMISED_SYNTH_STACKS), encoding="utf-8")
    command = [sys.executable, "main.py", "synth", "--config", str(config)]
    cached: dict[str, str | None] = {
        "CDKTF_OUTDIR": str(work / "out"),
        "PYTHONPYCACHEPREFIX": str(work / "pycache"),
        "PYTHONDONTWRITEBYTECODE": None,
    }
    rows = []
    for label, optimize in (("assertions on (PYTHONOPTIMIZE=0)", "0"), ("optimised (python -O, the default)", None)):
        print(f"… synth of {OPTIMISED_SYNTH_STACKS} stacks, {label}", file=sys.stderr, flush=True)
        result = median(command, {**cached, "PYTHONOPTIMIZE": optimize}, warm_up=True)
        rows.append((f"synth: generated, {OPTIMISED_SYNTH_STACKS} stacks, {label}", *_cells(result, baseline)))
    return rows


def main() -> None:
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="k8s-oidc-bench-"))
    rows: list[tuple[str, str, str, str]] = []

    def progress(label: str) -> None:
        print(f"… {label}", file=sys.stderr, flush=True)

    progress(f"baseline: import the four provider packages ({RUNS} runs)")
    baseline = median([python, "-c", BASELINE_IMPORT])
    rows.append(("baseline: import aws, google, okta, azuread bindings", *_cells(baseline, None)))

    def synth(label: str, config: Path) -> Measure:
        progress(label)
        out = work / "out"
        return median([python, "main.py", "synth", "--config", str(config)], {"CDKTF_OUTDIR": str(out)})

    example = synth("synth of the bundled oidc.yaml", PROJECT_ROOT / "oidc.yaml")
    rows.append(("synth: bundled oidc.yaml (7 stacks)", *_cells(example, baseline)))
    synths: dict[int, Measure] = {}
    for size in SYNTH_SIZES:
        config = work / f"config-{size}.yaml"
        config.write_text(config_text(size), encoding="utf-8")
        synths[size] = synth(f"synth of {size} stacks", config)
        rows.append((f"synth: generated, {size} stacks", *_cells(synths[size], baseline)))
    slope_ms = (synths[140].seconds - synths[50].seconds) / (140 - 50) * 1000
    rows.append(("marginal synth cost per stack (50 → 140)", f"{slope_ms:.1f} ms", "", ""))
    mixed = work / "config-mixed-140.yaml"
    mixed.write_text(mixed_config_text(140), encoding="utf-8")
    rows.append(
        (
            "synth: generated, 140 stacks of 3-IdP EKS and self-managed clusters",
            *_cells(synth("synth of 140 stacks, multi-IdP EKS and kubernetes", mixed), baseline),
        )
    )

    aks = work / "config-aks-140.yaml"
    aks.write_text(aks_config_text(140), encoding="utf-8")
    rows.append(
        (
            "synth: generated, 140 stacks of 3-IdP AKS clusters",
            *_cells(synth("synth of 140 stacks, AKS clusters", aks), baseline),
        )
    )

    rows += optimised_synth_rows(work, baseline)

    progress("validate of 140 stacks")
    validate = median([python, "main.py", "validate", "--config", str(work / "config-140.yaml")])
    rows.append(("validate: 140 stacks", *_cells(validate, baseline)))

    progress(f"render of {RENDER_STACKS} stacks")
    document = config_document(RENDER_STACKS)
    config = work / f"config-{RENDER_STACKS}.yaml"
    config.write_text(config_text(RENDER_STACKS), encoding="utf-8")
    outputs = work / "outputs.json"
    outputs.write_text(outputs_text(document), encoding="utf-8")
    render = median(
        [python, "main.py", "render", "--config", str(config), "--outputs", str(outputs), "--out", str(work / "render")]
    )
    rows.append((f"render: {RENDER_STACKS} stacks", *_cells(render, baseline)))

    progress(f"a fleet of {all_clusters.CLUSTERS} clusters: its render, and the all-clusters re-run")
    for fleet_label, fleet_seconds, fleet_peak_mb in all_clusters.rows(work):
        rows.append((fleet_label, *_cells(Measure(fleet_seconds, fleet_peak_mb), baseline)))

    progress(f"render --from-terraform-cloud of {terraform_cloud.WORKSPACES} workspaces")
    for tfc_label, tfc_seconds, tfc_peak_mb in terraform_cloud.rows(work):
        rows.append((tfc_label, *_cells(Measure(tfc_seconds, tfc_peak_mb), baseline)))

    cores = os.cpu_count()
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    print(f"Machine: {cores} cores, {memory_gb:.0f} GB RAM, Python {sys.version.split()[0]}; median of {RUNS} runs.\n")
    print("| what | wall time | peak RSS | time vs baseline |")
    print("|---|---|---|---|")
    for label, seconds, peak, ratio in rows:
        print(f"| {label} | {seconds} | {peak} | {ratio} |")


def _cells(result: Measure, baseline: Measure | None) -> tuple[str, str, str]:
    ratio = f"{result.seconds / baseline.seconds:.2f}×" if baseline else "1.00×"
    return f"{result.seconds:.2f} s", f"{result.peak_mb:.0f} MB", ratio


if __name__ == "__main__":
    main()

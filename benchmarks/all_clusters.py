"""A fleet's render and its all-clusters script: render of `CLUSTERS` EKS clusters × 2 shared IdPs, then
`all-clusters/okta.sh` run again on a kubeconfig that already holds every context of both IdPs (what an
engineer's re-run after a new render does: nothing changes). Part of `make bench`; alone:
`python -m benchmarks.all_clusters`.

The script runs with the machine's real kubectl and bash; kubelogin is a stand-in that answers the script's
`--help` checks (the sign-in itself happens at the first kubectl call, not in the script).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from benchmarks.generate import fleet_config_document, outputs_document
from benchmarks.measure import Measure, median

CLUSTERS = 300
KUBELOGIN_STAND_IN = """\
#!/bin/sh
# kubelogin as the setup script sees it: its help names --oidc-pkce-method.
echo "Usage: kubectl-oidc_login get-token [flags] --oidc-pkce-method string"
"""


def fleet(work: Path, clusters: int = CLUSTERS) -> tuple[Path, Path]:
    """The fleet's config and outputs file, written into `work`."""
    document = fleet_config_document(clusters)
    config = work / f"fleet-{clusters}.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    outputs = work / f"fleet-{clusters}-outputs.json"
    outputs.write_text(json.dumps(outputs_document(document)), encoding="utf-8")
    return config, outputs


def render_command(config: Path, outputs: Path, out: Path) -> list[str]:
    return [sys.executable, "main.py", "render", "--config", str(config), "--outputs", str(outputs), "--out", str(out)]


def script_environment(work: Path) -> dict[str, str]:
    """A home of its own, the kubelogin stand-in first on PATH, and the machine's kubectl after it."""
    tools = work / "bin"
    tools.mkdir(exist_ok=True)
    stand_in = tools / "kubectl-oidc_login"
    stand_in.write_text(KUBELOGIN_STAND_IN, encoding="utf-8")
    stand_in.chmod(0o755)
    home = work / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "KUBECONFIG": str(home / ".kube" / "config"),
        "LANG": "C.UTF-8",
    }


def rerun(rendered: Path, env: dict[str, str]) -> Measure:
    """`all-clusters/okta.sh` run again, once both IdPs' scripts have set every context up: the median."""
    for idp in ("okta", "entra"):
        subprocess.run(["bash", str(rendered / "all-clusters" / f"{idp}.sh")], env=env, check=True, capture_output=True)
    script = ["bash", str(rendered / "all-clusters" / "okta.sh")]
    before = Path(env["KUBECONFIG"]).read_bytes()
    result = median(script, env)
    assert Path(env["KUBECONFIG"]).read_bytes() == before, "a re-run that changes nothing changed the kubeconfig"
    return result


def rows(work: Path) -> list[tuple[str, float, float]]:
    """(label, seconds, peak MB) of the fleet's render and of the all-clusters re-run."""
    config, outputs = fleet(work)
    rendered = work / "fleet-render"
    render = median(render_command(config, outputs, rendered))
    env = script_environment(work)
    again = rerun(rendered, env)
    return [
        (f"render: {2 * CLUSTERS} stacks ({CLUSTERS} EKS clusters × 2 shared IdPs)", render.seconds, render.peak_mb),
        (f"all-clusters re-run, {CLUSTERS} contexts (kubeconfig of {2 * CLUSTERS})", again.seconds, again.peak_mb),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="k8s-oidc-bench-fleet-") as folder:
        for label, seconds, peak in rows(Path(folder)):
            print(f"| {label} | {seconds:.2f} s | {peak:.0f} MB |")


if __name__ == "__main__":
    main()

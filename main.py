"""`python main.py …` (what `cdktf.json`'s `app` runs): the `k8s-oidc` command of this checkout, with
its local state files beside this file. The command line itself is `k8s_oidc/cli.py`."""

from __future__ import annotations

from pathlib import Path

from k8s_oidc import cli

PROJECT_ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, prog="main.py", project_root=PROJECT_ROOT)


if __name__ == "__main__":
    cli.run(prog="main.py", project_root=PROJECT_ROOT)

"""k8s-oidc: one YAML file → one Terraform stack per (cluster × identity provider).

    python main.py [synth]        synthesise every stack into $CDKTF_OUTDIR (default cdktf.out)
    python main.py validate       check the config and list the stacks it makes (no jsii)
    python main.py render --outputs FILE_OR_DIR [--client-config CLUSTER=FILE …] --out DIR

Config: --config PATH, else $K8S_OIDC_CONFIG, else oidc.yaml. Bad input exits with status 2 and a
message naming the file and key path; nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from stacks.errors import Problem, UserError

PROJECT_ROOT = Path(__file__).resolve().parent
EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config_path = Path(getattr(args, "config", None) or os.environ.get("K8S_OIDC_CONFIG") or "oidc.yaml")
    try:
        if args.command == "validate":
            return _validate(config_path)
        if args.command == "render":
            return _render(config_path, args)
        return _synth(config_path)
    except UserError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_BAD_INPUT


def _load(config_path: Path):  # type: ignore[no-untyped-def]
    from stacks.config import load_config

    config = load_config(config_path)
    for warning in config.warnings:
        print(f"warning: {config_path}: {warning}", file=sys.stderr)
    return config


def _validate(config_path: Path) -> int:
    from stacks.plan_table import stack_table

    config = _load(config_path)
    print(stack_table(config))
    return 0


def _synth(config_path: Path) -> int:
    from stacks.orphans import check_stale_stacks

    # Before any jsii start: bad input, or a dropped stack that still owns resources, writes nothing.
    config = _load(config_path)
    outdir = Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
    stale = check_stale_stacks(config, outdir=outdir, project_root=PROJECT_ROOT)
    for warning in stale.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    from constructs_lib.runtime import prepare_jsii_runtime

    prepare_jsii_runtime()
    from stacks.app import build_app

    try:
        app = build_app(config, outdir=outdir, project_root=PROJECT_ROOT)
    except ValueError as error:  # a construct refused a value the config model let through
        raise UserError(str(config_path), [Problem("", str(error))]) from None
    outdir.mkdir(parents=True, exist_ok=True)
    # `cdktf deploy '*'` would deploy them again (the cdktf CLI empties its out folder; a direct run must match).
    stale.remove_folders(lambda line: print(line, file=sys.stderr))
    app.synth()
    print(f"synthesised {len(config.stack_names())} stacks into {outdir}/stacks", file=sys.stderr)
    return 0


def _render(config_path: Path, args: argparse.Namespace) -> int:
    client_configs: dict[str, Path] = {}
    problems = []
    for item in args.client_config:
        cluster, separator, file = item.partition("=")
        if not separator or not cluster or not file:
            problems.append(Problem("--client-config", f"expected CLUSTER=FILE, got {item!r}"))
        else:
            client_configs[cluster] = Path(file)
    if problems:
        raise UserError("command line", problems)
    config = _load(config_path)
    from render.render_step import render

    render(config, outputs=Path(args.outputs), client_configs=client_configs, out_dir=Path(args.out))
    return 0


def _parser() -> argparse.ArgumentParser:
    config_option = argparse.ArgumentParser(add_help=False)
    config_option.add_argument(
        "--config", default=argparse.SUPPRESS, help="config file (default: $K8S_OIDC_CONFIG, else oidc.yaml)"
    )
    parser = argparse.ArgumentParser(
        prog="main.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[config_option],
    )
    # No default for `config` here: the option's action is shared with the subcommands (parents=),
    # and a default would overwrite a `--config` given before the subcommand.
    parser.set_defaults(command="synth")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("synth", parents=[config_option], help="synthesise every stack (the default)")
    commands.add_parser("validate", parents=[config_option], help="validate the config, list its stacks")
    render = commands.add_parser("render", parents=[config_option], help="outputs → scripts, kubeconfigs, RBAC")
    render.add_argument(
        "--outputs",
        required=True,
        metavar="FILE_OR_DIR",
        help="cdktf outputs file or a folder of `terraform output -json` files",
    )
    render.add_argument(
        "--client-config",
        action="append",
        default=[],
        metavar="CLUSTER=FILE",
        help="GKE Identity Service: `kubectl get clientconfig default -n kube-public -o json` of CLUSTER",
    )
    render.add_argument("--out", required=True, metavar="DIR", help="folder to write (replaced whole)")
    return parser


if __name__ == "__main__":
    sys.exit(main())

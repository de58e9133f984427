"""The command line (DESIGN.md contract 2): `k8s-oidc` when installed, `python main.py` in a checkout
(what `cdktf.json` runs), `python -m k8s_oidc` — the same commands and options.

`validate`, `render`, `doctor` and `schema` import neither cdktf, jsii nor a provider package (they
work from the light base install); `synth` needs the `synth` extra and says so when it is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import NoReturn

from k8s_oidc import __version__
from stacks.errors import Problem, UserError

EXIT_BAD_INPUT = 2
USAGE = """\
k8s-oidc: one YAML file → one Terraform stack per (cluster × identity provider).

    {prog} [synth]        synthesise every stack into $CDKTF_OUTDIR (default cdktf.out)
    {prog} validate [--json]
                          check the config and list the stacks it makes (no jsii)
    {prog} render --outputs FILE_OR_DIR [--stacks GLOB …] [--client-config CLUSTER=FILE …] --out DIR
    {prog} render --from-terraform-cloud [--stacks GLOB …] [--client-config CLUSTER=FILE …] --out DIR
    {prog} schema         print the JSON Schema of oidc.yaml (draft 2020-12)
    {prog} doctor [--identity-provider NAME …] [--outputs FILE_OR_DIR] [--id-token FILE]
                          [--login [--no-browser]] [--json]
                          check the IdPs and a real sign-in before engineers try

Config: --config PATH, else $K8S_OIDC_CONFIG, else oidc.yaml. Bad input exits with status 2 and a
message naming the file and key path; nothing is written.
"""
SYNTH_EXTRA = 'pip install "k8s-oidc[synth]"'
SYNTH_MODULES = ("cdktf", "constructs", "jsii")
"""What `synth` imports beyond the base install, with the provider packages (`provider_loading`)."""


def run(*, prog: str = "k8s-oidc", project_root: Path | None = None) -> NoReturn:
    """The process entry point (console script, `python -m k8s_oidc`, `python main.py`): parse the
    command line, run `synth` optimised when that pays (see `_rerun_optimised`), exit with the status.
    `project_root`: where local state files live; default: the current folder, as cdktf has it."""
    args = _parse(prog, sys.argv[1:])
    if args.command == "synth":
        _rerun_optimised()
    sys.exit(_dispatch(args, Path.cwd() if project_root is None else project_root))


def main(argv: list[str] | None = None, *, prog: str = "k8s-oidc", project_root: Path | None = None) -> int:
    """Run one command in this process; returns the exit status (argparse exits 2 on bad flags)."""
    return _dispatch(_parse(prog, argv), Path.cwd() if project_root is None else project_root)


def _parse(prog: str, argv: list[str] | None) -> argparse.Namespace:
    args = _parser(prog).parse_args(argv)
    # No command is synth (`python main.py`, what cdktf.json runs): argparse leaves it None.
    args.command = args.command or "synth"
    return args


def _dispatch(args: argparse.Namespace, project_root: Path) -> int:
    config_path = Path(getattr(args, "config", None) or os.environ.get("K8S_OIDC_CONFIG") or "oidc.yaml")
    try:
        if args.command == "validate":
            return _validate(config_path, json_output=args.json)
        if args.command == "render":
            return _render(config_path, args)
        if args.command == "schema":
            return _schema()
        if args.command == "doctor":
            return _doctor(config_path, args)
        return _synth(config_path, project_root)
    except UserError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # A reader that closed stdout early (`validate | head -1`) has what it wanted: not an error.
        # Point stdout at /dev/null so the interpreter's final flush doesn't fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _rerun_optimised() -> None:
    """Replace this process by the same command under `python -O`, when that pays.

    The prebuilt provider bindings check every argument of every construct call with typeguard and
    `typing.get_type_hints` inside `if __debug__:` blocks; `-O` compiles those blocks away (synth of
    1,000 stacks: a third less CPU time, docs/performance.md). No `assert` of ours does work a synth
    needs (tests/k8s_oidc/test_optimised_synth.py checks that). It pays only when Python may cache the
    optimised bytecode: compiling the bindings from source at every run costs more than the checks.
    cdktf's own optimised file is no evidence: the provider submodules a config loads may never have
    been compiled optimised, and with PYTHONDONTWRITEBYTECODE they would be compiled at every run.
    So: only when bytecode may be written to a writable cache, and never when PYTHONOPTIMIZE is set
    (its value is the user's choice: PYTHONOPTIMIZE=0 keeps the checks) or outside POSIX (where exec
    is a new process).
    """
    if os.name != "posix" or not sys.executable or sys.flags.optimize or "PYTHONOPTIMIZE" in os.environ:
        return
    if not _optimised_bytecode_writable():
        return
    # `-O` on the command line, not PYTHONOPTIMIZE: it also works under `python -E`, and the new
    # process has sys.flags.optimize set, so it never comes back here.
    os.execv(sys.executable, [sys.executable, "-O", *sys.orig_argv[1:]])  # noqa: S606 (this very command again)


def _optimised_bytecode_writable() -> bool:
    if sys.dont_write_bytecode:
        return False
    spec = importlib.util.find_spec("cdktf")
    if spec is None or spec.origin is None:
        return False  # no synth extra: `_synth` says so
    folder = Path(importlib.util.cache_from_source(spec.origin, optimization=1)).parent
    while not folder.exists():
        folder = folder.parent
    return os.access(folder, os.W_OK)


def _schema() -> int:
    from stacks.config.schema import config_schema_json

    print(config_schema_json(), end="")
    return 0


def _load(config_path: Path):  # type: ignore[no-untyped-def]
    from stacks.config import load_config

    config = load_config(config_path)
    # `make synth` validates (and warns) before the cdktf CLI runs synth: once is enough.
    if not os.environ.get("K8S_OIDC_WARNINGS_SHOWN"):
        for warning in config.warnings:
            print(f"warning: {config_path}: {warning}", file=sys.stderr)
    return config


def _validate(config_path: Path, *, json_output: bool) -> int:
    config = _load(config_path)
    if json_output:
        from stacks.plan_json import stacks_json

        print(stacks_json(config))
    else:
        from stacks.plan_table import stack_table

        print(stack_table(config))
    return 0


def _require_synth_extra() -> None:
    from constructs_lib.provider_loading import PROVIDER_PACKAGES

    missing = [name for name in (*SYNTH_MODULES, *PROVIDER_PACKAGES) if importlib.util.find_spec(name) is None]
    if missing:
        raise UserError(
            "synth",
            [
                Problem(
                    "",
                    f"needs the packages of the synth extra, and {', '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} not installed: {SYNTH_EXTRA} "
                    "(validate, render, doctor and schema work without them)",
                )
            ],
        )


def _synth(config_path: Path, project_root: Path) -> int:
    _require_synth_extra()
    from stacks.orphans import cdktf_cli_removes_stale_folders, check_stale_stacks

    # Before any jsii start: bad input, or a dropped stack that still owns resources, writes nothing.
    config = _load(config_path)
    outdir = Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
    stale = check_stale_stacks(config, outdir=outdir, project_root=project_root)
    for warning in stale.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    from constructs_lib.runtime import prepare_jsii_runtime

    prepare_jsii_runtime()
    from stacks.app import build_app

    # The config model built every construct's props already: a construct refusing a value now is a bug,
    # and surfaces as one (a traceback), not as bad input.
    app = build_app(config, outdir=outdir, project_root=project_root)
    outdir.mkdir(parents=True, exist_ok=True)
    app.synth()
    # Once the new stacks are written, as the cdktf CLI does (a direct run must match). On stdout, as the
    # summary: the cdktf CLI shows an app's stderr as [ERROR] lines.
    stale.remove_folders(print, cdktf_cli_removes_them=cdktf_cli_removes_stale_folders(os.environ))
    print(f"synthesised {len(config.stack_names())} stacks into {outdir}/stacks")
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
    if args.workers is not None and not args.from_terraform_cloud:
        problems.append(Problem("--workers", "applies to --from-terraform-cloud only"))
    if args.workers is not None and not 1 <= args.workers <= 32:
        problems.append(Problem("--workers", f"expected 1 to 32 workspaces at once, got {args.workers}"))
    if problems:
        raise UserError("command line", problems)
    config = _load(config_path)
    from render.outputs_reader import OutputsFiles, OutputsSource
    from render.render_step import render
    from render.selection import select_pair_stacks

    stacks = select_pair_stacks(config, args.stacks) if args.stacks else None
    outputs: OutputsSource
    if args.from_terraform_cloud:
        from render.terraform_cloud import DEFAULT_WORKERS, TerraformCloudOutputs

        outputs = TerraformCloudOutputs.of(config, stacks, workers=args.workers or DEFAULT_WORKERS)
    else:
        outputs = OutputsFiles(Path(args.outputs))
    render(config, outputs=outputs, client_configs=client_configs, out_dir=Path(args.out), stacks=stacks)
    return 0


def _doctor(config_path: Path, args: argparse.Namespace) -> int:
    config = _load(config_path)
    from doctor import run
    from render.outputs_reader import OutputsFiles

    return run(
        config,
        identity_providers=args.identity_provider,
        outputs=OutputsFiles(Path(args.outputs)) if args.outputs else None,
        id_token=args.id_token,
        login=args.login,
        open_browser=not args.no_browser,
        json_output=args.json,
    )


def _parser(prog: str) -> argparse.ArgumentParser:
    config_option = argparse.ArgumentParser(add_help=False)
    config_option.add_argument(
        "--config", default=argparse.SUPPRESS, help="config file (default: $K8S_OIDC_CONFIG, else oidc.yaml)"
    )
    parser = argparse.ArgumentParser(
        prog=prog,
        description=USAGE.format(prog=prog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[config_option],
    )
    parser.add_argument("--version", action="version", version=f"k8s-oidc {__version__}")
    # No default for `config` here: the option's action is shared with the subcommands (parents=),
    # and a default would overwrite a `--config` given before the subcommand.
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("synth", parents=[config_option], help="synthesise every stack (the default)")
    validate = commands.add_parser("validate", parents=[config_option], help="validate the config, list its stacks")
    validate.add_argument(
        "--json",
        action="store_true",
        help="print the stacks as a JSON list, in deploy order (stack, kind, cluster, types, depends_on, backend)",
    )
    commands.add_parser("schema", help="print the JSON Schema of oidc.yaml (for editors)")
    render = commands.add_parser("render", parents=[config_option], help="outputs → scripts, kubeconfigs, RBAC")
    source = render.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--outputs",
        metavar="FILE_OR_DIR",
        help="cdktf outputs file or a folder of `terraform output -json` files",
    )
    source.add_argument(
        "--from-terraform-cloud",
        action="store_true",
        help="read each pair stack's outputs from its workspace (backend: cloud; token as Terraform finds it)",
    )
    render.add_argument(
        "--stacks",
        nargs="+",
        action="extend",
        metavar="GLOB",
        help="render only the pair stacks matching these globs (quoted: --stacks 'prod-*' 'data-okta')",
    )
    render.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="with --from-terraform-cloud: workspaces read at once (default 8)",
    )
    render.add_argument(
        "--client-config",
        action="append",
        default=[],
        metavar="CLUSTER=FILE",
        help="GKE Identity Service: `kubectl get clientconfig default -n kube-public -o json` of CLUSTER",
    )
    render.add_argument("--out", required=True, metavar="DIR", help="folder to write (replaced whole)")
    doctor = commands.add_parser("doctor", parents=[config_option], help="check the IdPs and a real sign-in")
    doctor.add_argument(
        "--identity-provider",
        action="append",
        default=[],
        metavar="NAME",
        help="check only this IdP of the config (repeatable; default: all)",
    )
    doctor.add_argument(
        "--outputs",
        metavar="FILE_OR_DIR",
        help="the deployed stacks' outputs (as for render): issuers and client ids known only after deploy",
    )
    doctor.add_argument("--id-token", metavar="FILE", help="an ID token to check ('-': standard input)")
    doctor.add_argument(
        "--login", action="store_true", help="sign in for real (twice: PKCE must refuse a wrong verifier)"
    )
    doctor.add_argument(
        "--no-browser", action="store_true", help="with --login: print the sign-in URL, open no browser"
    )
    doctor.add_argument("--json", action="store_true", help="print the results as a JSON list")
    return parser

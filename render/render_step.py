"""`python main.py render`: stack outputs → the files of DESIGN.md contract 5, written all or nothing.

The steps, each in its own module: read and check the inputs (`inputs`), build the pair view (`pairs`),
then the files by artifact — the developers' (`developer_files`), the cluster admins' per cluster kind
(`admin`), the guides (`guides`) — all in memory, where `layout` puts them; then swap them in (`tree`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from render.admin import admin_files, admin_problems, partial_render_warnings
from render.developer_files import all_clusters_scripts, stack_files
from render.guides import engineer_pages, readme, stack_readme
from render.inputs import read_inputs
from render.outputs_reader import OutputsSource
from render.pairs import rendered_pairs
from render.tree import File, check_out_dir, write_tree
from stacks.config import Config
from stacks.errors import Problem, UserError

Log = Callable[[str], None]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass
class RenderSummary:
    stacks: int = 0
    files: int = 0
    warnings: list[str] = field(default_factory=list)


def render(
    config: Config,
    *,
    outputs: OutputsSource,
    client_configs: Mapping[str, Path],
    out_dir: Path,
    stacks: Collection[str] | None = None,
    log: Log = _stderr,
) -> RenderSummary:
    """Check every input, render every file in memory, then replace `out_dir` with them in one swap.

    `outputs` is read once `out_dir` is known to be replaceable (Terraform Cloud is asked nothing before).
    `stacks`: render only these pair stacks (`--stacks`); default: every one of the config."""
    # Resolved: `.` has no name to put a temporary folder beside, and a symlinked --out is replaced
    # where it points, the link kept.
    out_dir = out_dir.resolve()
    check_out_dir(out_dir)
    inputs = read_inputs(config, outputs, client_configs, stacks=stacks)
    summary = RenderSummary(warnings=list(inputs.warnings))
    for warning in inputs.warnings:
        log(f"warning: {warning}")

    pairs = rendered_pairs(config, inputs.pairs, client_configs)
    for warning in partial_render_warnings(config, pairs.by_cluster):
        summary.warnings.append(warning)
        log(f"warning: {warning}")
    problems = admin_problems(config, pairs.by_cluster)
    if problems:
        raise UserError(outputs.name, problems)

    files: dict[str, File] = {}
    for pair in pairs.pairs:
        of_stack = stack_files(pair) | stack_readme(pair, support=config.defaults.support)
        files |= of_stack
        summary.stacks += 1
        log(f"rendered {pair.stack}: {', '.join(path.rsplit('/', 1)[-1] for path in of_stack)}")
    files |= all_clusters_scripts(pairs.by_idp)
    files |= engineer_pages(config, pairs.by_idp)
    files |= admin_files(config, pairs.by_cluster)
    files |= readme(config, pairs.by_cluster, pairs.by_idp, summary.warnings)
    try:
        write_tree(out_dir, files)
    except OSError as error:
        raise UserError(str(out_dir), [Problem("--out", f"cannot write the render: {error}")]) from None
    summary.files = len(files)
    log(
        f"wrote {summary.files} files for {summary.stacks} stacks into {out_dir} "
        f"({_count(len(summary.warnings), 'warning')})"
    )
    return summary


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

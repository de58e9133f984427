"""Where stack outputs come from (DESIGN.md contract 5, "Input"), for the render step and doctor alike.

An `OutputsSource` has a name (what messages name as the input) and a `read()` that gives
`{stack: {output: value}}`, unchecked beyond that shape. Two kinds exist: `OutputsFiles` here (the JSON
file of `cdktf deploy --outputs-file`, or a folder of `terraform output -json` files, one per stack),
and `render.terraform_cloud.TerraformCloudOutputs` (each workspace's current state version; it lives
with the API client, so that reading files never loads httpx). What the outputs must hold is checked
later, by their readers (`render.pair_outputs`, `doctor.targets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from constructs_lib.outputs import OUTPUT_NAMES, shorten
from stacks.config.messages import describe
from stacks.errors import Problem, UserError
from stacks.input_files import json_or_problem

StackOutputs = dict[str, Any]
"""One stack's outputs, `{output: value}`."""


@dataclass(frozen=True)
class OutputsRead:
    """What a source held: the stacks it could read, and what was wrong with the rest."""

    stacks: Mapping[str, StackOutputs | None] | None
    """`{stack: {output: value}}`; a stack maps to None when its own outputs could not be read, and the
    whole is None when nothing could be (each time, the problem is in `problems`)."""
    problems: list[Problem] = field(default_factory=list)


class OutputsSource(Protocol):
    """The deployed stacks' outputs, wherever they are kept."""

    @property
    def name(self) -> str:
        """The source as messages name it: a path, or "Terraform Cloud HOST/ORGANIZATION"."""
        ...

    def read(self) -> OutputsRead:
        """Every stack's outputs. Problems that leave the other stacks readable are returned with them,
        so that a run names everything wrong at once; a source that cannot be read at all (a refused
        token) raises `UserError` itself."""
        ...


@dataclass(frozen=True)
class OutputsFiles:
    """`--outputs FILE_OR_DIR`: cdktf's outputs file (`{stack: {output: value}}`), or a folder holding one
    `<stack>.json` per stack as `terraform output -json` prints it (`{output: {value, type, sensitive}}`)."""

    path: Path

    @property
    def name(self) -> str:
        return str(self.path)

    def read(self) -> OutputsRead:
        problems: list[Problem] = []
        if self.path.is_dir():
            stacks = _read_output_folder(self.path, problems)
        else:
            stacks = _read_outputs_file(self.path, problems)
        return OutputsRead(stacks, problems)


def read_complete(source: OutputsSource) -> dict[str, StackOutputs]:
    """Every stack's outputs, or `UserError` naming the source and every problem."""
    read = source.read()
    if read.problems or read.stacks is None:
        raise UserError(source.name, read.problems)
    return {stack: outputs for stack, outputs in read.stacks.items() if outputs is not None}


def stack_path(stack: str) -> str:
    """A stack name from the outputs as the start of a key path: printed as it is when it is a plain
    name, else as its repr — a name is input too, and must not reach the terminal raw."""
    return stack if stack.isprintable() and stack.isascii() and " " not in stack else repr(shorten(stack))


def _read_outputs_file(path: Path, problems: list[Problem]) -> dict[str, StackOutputs | None] | None:
    data = json_or_problem(path, "", problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(Problem("", f"must be a JSON object {{stack: {{output: value}}}}, got {describe(data)}"))
        return None
    if set(data) & set(OUTPUT_NAMES):
        problems.append(
            Problem(
                "",
                "looks like one stack's `terraform output -json`; put each stack's in a folder as <stack>.json "
                "and pass the folder to --outputs",
            )
        )
        return None
    stacks: dict[str, StackOutputs | None] = {}
    for stack, outputs in data.items():
        if isinstance(outputs, dict):
            stacks[stack] = outputs
        else:
            problems.append(Problem(stack_path(stack), f"must be an object of outputs, got {describe(outputs)}"))
            stacks[stack] = None
    return stacks


def _read_output_folder(folder: Path, problems: list[Problem]) -> dict[str, StackOutputs | None] | None:
    files = sorted(folder.glob("*.json"))
    if not files:
        problems.append(Problem("", "folder holds no <stack>.json files (from `terraform output -json`)"))
        return None
    stacks: dict[str, StackOutputs | None] = {}
    for file in files:
        stack = file.stem
        stacks[stack] = None
        data = json_or_problem(file, stack_path(stack), problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(stack_path(stack), f"{file.name} must be a JSON object {{output: {{value, …}}}}"))
            continue
        outputs: StackOutputs = {}
        for name in OUTPUT_NAMES:
            if name not in data:
                continue
            entry = data[name]
            if isinstance(entry, dict) and "value" in entry:
                outputs[name] = entry["value"]
            else:
                problems.append(
                    Problem(
                        f"{stack_path(stack)}.{name}", 'expected {"value": …} as `terraform output -json` prints it'
                    )
                )
        stacks[stack] = outputs
    return stacks

"""Synth never silently drops a stack that still owns resources (DESIGN.md contract 2).

A stack the config no longer makes, but that an earlier synth made (its folder under
`<outdir>/stacks/`) or that has a local state file in the project root, is checked before anything is
written: when its local state still lists resources, synth stops — deleting the stack's folder would
leave its IdP app and cluster association in state that `cdktf destroy` can no longer reach. Without
resources its folder is removed once the new stacks are written: by synth itself when run directly, by
the cdktf CLI when the CLI runs it (see `cdktf_cli_removes_stale_folders`). State in Terraform Cloud
can't be read offline: a warning names the workspace instead.

cdktf-free and jsii-free: it runs before the jsii kernel starts, and reads the state file's JSON
itself (no terraform call), within the bounds of every input file (a state file is as hostile as any).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stacks.config import Config, local_state_file
from stacks.errors import Problem, UserError
from stacks.input_files import InputFileError, read_json_file

STACK_FILE = "cdk.tf.json"
_STATE_PREFIX, _STATE_SUFFIX = local_state_file("*").split("*")
_SHOWN_RESOURCES = 5
_CDKTF_CLI_CONTEXT_KEY = "cdktfRelativeModules"
"""What the cdktf CLI (0.21) adds to `CDKTF_CONTEXT_JSON` for the app it runs, and nothing else does."""


@dataclass(frozen=True)
class StaleStacks:
    """What an earlier synth left that the config no longer makes."""

    folders: list[Path] = field(default_factory=list)
    """Their stack folders: removed once the new synth is ready to write."""
    warnings: list[str] = field(default_factory=list)
    """Stacks whose state is in Terraform Cloud, where it can't be read offline."""

    def remove_folders(self, log: Callable[[str], None], *, cdktf_cli_removes_them: bool) -> None:
        """Remove the folders, logging each. `cdktf_cli_removes_them`: leave them to the cdktf CLI, which
        deletes every folder of `<outdir>/stacks/` the app didn't synthesise right after the app ends, and
        fails (ENOENT) on one that is already gone."""
        for folder in self.folders:
            if not cdktf_cli_removes_them:
                shutil.rmtree(folder)
            log(f"removed {folder}: the config no longer makes stack {folder.name!r}")


def cdktf_cli_removes_stale_folders(environ: Mapping[str, str]) -> bool:
    """Whether the cdktf CLI runs this synth (`cdktf synth`, and `deploy`, `diff`, `destroy`, which synthesise
    first). The CLI lists the stack folders before it runs the app and removes afterwards those the app didn't
    make, with an `lstat` that fails on a folder the app removed itself: `make synth`, `diff` and `deploy`
    would then fail once after each removal. It marks the app's environment with its own context key."""
    try:
        context = json.loads(environ.get("CDKTF_CONTEXT_JSON") or "{}")
    except (ValueError, RecursionError):
        return False
    return isinstance(context, dict) and _CDKTF_CLI_CONTEXT_KEY in context


def check_stale_stacks(config: Config, *, outdir: Path, project_root: Path) -> StaleStacks:
    """The stacks to drop; raises `UserError` (nothing written yet) for any whose local state still lists
    resources, naming each with how to destroy it first."""
    made = set(config.stack_names())
    folders = {folder.name: folder for folder in _stack_folders(outdir / "stacks") if folder.name not in made}
    states = {
        path.name.removeprefix(_STATE_PREFIX).removesuffix(_STATE_SUFFIX): path
        for path in sorted(project_root.glob(local_state_file("*")))
        if path.is_file()
    }
    problems: list[Problem] = []
    warnings: list[str] = []
    for stack in sorted(set(folders) | (set(states) - made)):
        state = states.get(stack)
        if state is not None:
            owned = _owned_resources(state, stack, problems)
            if owned:
                problems.append(Problem(f"stack {stack}", _still_owns(stack, state.name, owned)))
            continue
        workspace = _cloud_workspace(folders[stack])
        if workspace is not None:
            warnings.append(
                f"stack {stack!r} is no longer in the config; its state is in Terraform Cloud workspace "
                f"{workspace}, which synth can't read offline. If that workspace still holds resources, they "
                f"are orphaned once the stack is gone: destroy them first (with the config that still makes "
                f"the stack: `cdktf destroy {stack}`), or queue a destroy run in the workspace"
            )
    if problems:
        raise UserError(str(config.source), problems)
    return StaleStacks(folders=[folders[name] for name in sorted(folders)], warnings=warnings)


def _stack_folders(stacks_dir: Path) -> list[Path]:
    if not stacks_dir.is_dir():
        return []
    return [folder for folder in sorted(stacks_dir.iterdir()) if (folder / STACK_FILE).is_file()]


def _owned_resources(state: Path, stack: str, problems: list[Problem]) -> list[str]:
    """Addresses of the managed resources the state lists (data sources own nothing); a state that can't be
    read is a problem: it may well hold resources."""
    try:
        document = read_json_file(state)
        resources: list[dict[str, Any]] = document.get("resources", [])
        return [
            f"{resource['type']}.{resource['name']}"
            for resource in resources
            if resource.get("mode", "managed") == "managed" and resource.get("instances", [None])
        ]
    except (InputFileError, ValueError, AttributeError, TypeError, KeyError) as error:
        problems.append(
            Problem(
                f"stack {stack}",
                f"no longer made by this config, and its local state {state.name} can't be read as Terraform "
                f"state ({error.__class__.__name__}: {error}): it may still hold resources. Check it with "
                f"`terraform state list -state={state.name}`; move the file away only once nothing is left in it",
            )
        )
        return []


def _still_owns(stack: str, state: str, owned: list[str]) -> str:
    shown = ", ".join(owned[:_SHOWN_RESOURCES]) + (", …" if len(owned) > _SHOWN_RESOURCES else "")
    count = f"{len(owned)} resource{'' if len(owned) == 1 else 's'}"
    return (
        f"no longer made by this config, but its local state {state} still lists {count} ({shown}); "
        f"dropping the stack would orphan them where `cdktf destroy` can't reach them. Destroy them first, "
        f"with the config that still makes the stack: `cdktf destroy {stack}` (or `make destroy STACKS={stack}`), "
        "then remove it from the config and synthesise again"
    )


def _cloud_workspace(folder: Path) -> str | None:
    """`organization/workspace` of a synthesised stack with a `cloud` block, else None."""
    try:
        document = read_json_file(folder / STACK_FILE)
        cloud = document["terraform"]["cloud"]
        return f"{cloud['organization']}/{cloud['workspaces']['name']}"
    except (InputFileError, ValueError, KeyError, TypeError):
        return None

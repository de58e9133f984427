"""Where each stack keeps its state: Terraform Cloud (a workspace per stack) or local files in the
project root, referenced by a path relative to the stack's synth folder (no absolute path of the
synthesising machine; state survives `rm -rf cdktf.out`)."""

from __future__ import annotations

import os
from pathlib import Path

from cdktf import CloudBackend as CdktfCloudBackend
from cdktf import LocalBackend as CdktfLocalBackend
from cdktf import NamedCloudWorkspace, TerraformStack

from stacks.config import CloudBackend, LocalBackend, local_state_file


def configure_backend(
    stack: TerraformStack, stack_name: str, backend: LocalBackend | CloudBackend, *, outdir: Path, project_root: Path
) -> None:
    if isinstance(backend, CloudBackend):
        CdktfCloudBackend(
            stack,
            organization=backend.organization,
            hostname=backend.hostname,
            workspaces=NamedCloudWorkspace(f"{backend.workspace_prefix}{stack_name}"),
        )
        return
    stack_folder = outdir.resolve() / "stacks" / stack_name
    state_file = project_root.resolve() / local_state_file(stack_name)
    CdktfLocalBackend(stack, path=os.path.relpath(state_file, start=stack_folder))

"""The table `python main.py validate` prints: what `synth` would make, without touching jsii."""

from __future__ import annotations

from stacks.config import CloudBackend, Config, StackKind, local_state_file


def stack_table(config: Config) -> str:
    backend = config.backend
    rows = [("STACK", "KIND", "CLUSTER TYPE", "IDP TYPE", "CLUSTER", "BACKEND")]
    for spec in config.stacks():
        cluster = config.clusters[spec.cluster]
        idp_type = config.identity_providers[spec.identity_provider].type if spec.identity_provider else "-"
        where = (
            f"cloud {backend.organization}/{backend.workspace_prefix}{spec.name}"
            if isinstance(backend, CloudBackend)
            else f"local {local_state_file(spec.name)}"
        )
        state = "created" if cluster.created else "existing"
        kind = "cluster" if spec.kind is StackKind.CLUSTER else "pair"
        rows.append((spec.name, kind, cluster.type, idp_type, state, where))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    count = len(rows) - 1
    return "\n".join([f"{config.source}: valid, {count} stack{'s' if count != 1 else ''}", *lines])

"""The table `python main.py validate` prints: what `synth` would make, without touching jsii."""

from __future__ import annotations

from stacks.config import CloudBackend, Config, StackKind, local_state_file


def stack_table(config: Config) -> str:
    def state(stack_name: str) -> str:
        backend = config.backend_of(stack_name)
        if isinstance(backend, CloudBackend):
            return f"cloud {backend.organization}/{backend.workspace_prefix}{stack_name}"
        return f"local {local_state_file(stack_name)}"

    rows = [("STACK", "KIND", "CLUSTER TYPE", "IDP TYPE", "CLUSTER", "BACKEND")]
    if config.terraform_cloud_stack is not None:
        bootstrap = config.terraform_cloud_stack
        rows.append((bootstrap, "terraform-cloud", "-", "-", "-", state(bootstrap)))
    if config.workforce_pool_stack is not None:
        idp_types = ",".join(config.identity_providers[name].type for name in config.workforce_identity_providers)
        rows.append(
            (config.workforce_pool_stack, "workforce-pool", "-", idp_types, "-", state(config.workforce_pool_stack))
        )
    for stack, idp in config.application_stacks().items():
        rows.append((stack, StackKind.IDP.value, "-", config.identity_providers[idp].type, "-", state(stack)))
    for spec in config.stacks():
        cluster = config.clusters[spec.cluster]
        idp_type = config.identity_providers[spec.identity_provider].type if spec.identity_provider else "-"
        kind = "cluster" if spec.kind is StackKind.CLUSTER else "pair"
        rows.append(
            (
                spec.name,
                kind,
                cluster.facts.label,
                idp_type,
                "created" if cluster.created else "existing",
                state(spec.name),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    count = len(rows) - 1
    return "\n".join([f"{config.source}: valid, {count} stack{'s' if count != 1 else ''}", *lines])

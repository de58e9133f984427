"""The render step's inputs, read and checked together: the outputs (`render.outputs_reader`, checked by
`render.pair_outputs` and, for shared applications, `render.application_outputs`) and the GKE ClientConfigs
(`render.client_configs`). Every problem is collected,
then raised as one `UserError` naming the outputs' source, so a run reports everything wrong at once
and writes nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from render.application_outputs import check_applications, stale_pair_warnings
from render.client_configs import missing_client_config_warnings, read_client_configs
from render.outputs_reader import OutputsSource
from render.pair_outputs import PairOutputs, check_pairs, with_server
from stacks.config import Config
from stacks.errors import Problem, UserError


@dataclass(frozen=True)
class RenderInputs:
    pairs: list[PairOutputs]
    """The pair stacks to render, checked, in config order."""
    warnings: list[str]


def read_inputs(
    config: Config,
    source: OutputsSource,
    client_configs: Mapping[str, Path],
    *,
    stacks: Collection[str] | None = None,
) -> RenderInputs:
    """Read and check everything the render step needs; raise `UserError` listing every problem.
    `stacks`: the pair stacks to render (`--stacks`); default: every one of the config."""
    problems: list[Problem] = []
    endpoints = read_client_configs(config, client_configs, problems)
    read = source.read()
    problems += read.problems
    pairs = check_pairs(config, read.stacks, problems, stacks) if read.stacks is not None else []
    applications = check_applications(config, read.stacks, problems) if read.stacks is not None else {}
    if problems:
        raise UserError(source.name, problems)
    resolved = [
        pair
        if (endpoint := endpoints.get(pair.cluster_key)) is None
        else with_server(
            pair,
            server=endpoint.spec.server,
            certificate_authority_data=endpoint.spec.certificate_authority_data,
            source=str(client_configs[pair.cluster_key]),
        )
        for pair in pairs
    ]
    warnings = missing_client_config_warnings(config, endpoints, {pair.cluster_key for pair in resolved})
    return RenderInputs(resolved, [*warnings, *stale_pair_warnings(applications, resolved)])

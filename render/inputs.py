"""The render step's inputs, read and checked: stack outputs (DESIGN.md contract 4) and GKE ClientConfigs.

Outputs are validated with the output contract's models (`constructs_lib.outputs`), which also hold
the render-time re-checks of contract 5, their errors translated to key paths as the config's are
(`stacks.config.messages`). Every problem is collected with the stack and field it concerns, then
raised as one `UserError`, so a run reports everything wrong at once and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS
from constructs_lib.outputs import (
    CLUSTER,
    OUTPUT_NAMES,
    CertificateData,
    ClusterOutput,
    ClusterType,
    ContractModel,
    HttpsUrl,
    OidcConfigOutput,
    OidcPairOutputs,
    WorkforceOutput,
    WorkforcePairOutputs,
    shorten,
)
from render.input_files import InputFileError, read_json_file
from render.json_input import JsonInputError
from stacks.config import Config, GkeClusterConfig, StackKind
from stacks.config.messages import describe, validate
from stacks.errors import Problem, UserError

KUBELOGIN_DEFAULT_PORTS = DEFAULT_REDIRECT_PORTS
"""kubelogin's default listen ports: the exec args name ports only when the stack registered others."""


class OidcLogin(OidcConfigOutput):
    """A pair stack's `oidc_config` output with its client secret: what kubelogin and a GKE ClientConfig need."""

    client_secret: str | None
    """The `oidc_client_secret` output when the IdP needs one (`requires_client_secret`), else None."""


class ClusterAccess(ClusterOutput):
    """Where kubectl reaches a cluster: the `cluster` output, or a GKE ClientConfig's server and CA."""

    server_source: str
    """Where server and CA came from: "the cluster output" or the ClientConfig file."""

    @property
    def server(self) -> str:
        return self.endpoint


@dataclass(frozen=True, kw_only=True)
class PairOutputs:
    """One pair stack's outputs, checked: `oidc` for kubelogin pairs, `workforce` for workforce pairs."""

    stack: str
    cluster_key: str
    identity_provider: str
    oidc: OidcLogin | None
    workforce: WorkforceOutput | None
    cluster: ClusterAccess


@dataclass(frozen=True)
class RenderInputs:
    pairs: list[PairOutputs]
    warnings: list[str]


def read_inputs(
    config: Config,
    outputs: Path | str,
    client_configs: Mapping[str, Path],
    *,
    raw_outputs: dict[str, Any] | None = None,
    stacks: Collection[str] | None = None,
) -> RenderInputs:
    """Read and check everything the render step needs; raise `UserError` listing every problem.
    `raw_outputs`: {stack: {output: value}} read elsewhere (Terraform Cloud); `outputs` then only names
    their source. `stacks`: the pair stacks to render (`--stacks`); default: every one of the config."""
    problems: list[Problem] = []
    endpoints = _read_client_configs(config, client_configs, problems)
    raw = raw_outputs if raw_outputs is not None else _read_outputs(Path(outputs), problems)
    pairs = _check_stacks(config, raw, problems, stacks) if raw is not None else []
    if problems:
        raise UserError(str(outputs), problems)
    warnings: list[str] = []
    resolved: list[PairOutputs] = []
    for pair in pairs:
        endpoint = endpoints.get(pair.cluster_key)
        if endpoint is not None:
            cluster = pair.cluster.model_copy(
                update={
                    "endpoint": endpoint.spec.server,
                    "certificate_authority_data": endpoint.spec.certificate_authority_data,
                    "server_source": str(client_configs[pair.cluster_key]),
                }
            )
            pair = replace(pair, cluster=cluster)
        resolved.append(pair)
    rendered_clusters = {pair.cluster_key for pair in resolved}
    for name, cluster_config in config.clusters.items():
        if (
            isinstance(cluster_config, GkeClusterConfig)
            and not config.is_workforce_cluster(name)
            and name not in endpoints
            and name in rendered_clusters
        ):
            warnings.append(
                f"{name}: GKE server taken from the cluster output: pass --client-config for Identity Service "
                f"clusters (--client-config {name}=FILE, FILE from "
                "`kubectl get clientconfig default -n kube-public -o json`)"
            )
    return RenderInputs(resolved, warnings)


def read_raw_outputs(path: Path) -> dict[str, dict[str, Any]]:
    """{stack: {output: value}} from the cdktf outputs file or a folder of `terraform output -json`
    files, unchecked beyond their shape; raise `UserError` listing every problem."""
    problems: list[Problem] = []
    raw = _read_outputs(path, problems)
    if problems or raw is None:
        raise UserError(str(path), problems)
    return {stack: outputs for stack, outputs in raw.items() if outputs is not None}


# --- outputs files -------------------------------------------------------------------------------


def _read_outputs(path: Path, problems: list[Problem]) -> dict[str, dict[str, Any] | None] | None:
    """{stack: {output: value}}; a stack whose outputs can't be read maps to None (its problem recorded)."""
    if path.is_dir():
        return _read_output_folder(path, problems)
    data = _read_json(path, "", problems)
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
    stacks: dict[str, dict[str, Any] | None] = {}
    for stack, outputs in data.items():
        if isinstance(outputs, dict):
            stacks[stack] = outputs
        else:
            problems.append(Problem(_stack_path(stack), f"must be an object of outputs, got {describe(outputs)}"))
            stacks[stack] = None
    return stacks


def _read_output_folder(folder: Path, problems: list[Problem]) -> dict[str, dict[str, Any] | None] | None:
    files = sorted(folder.glob("*.json"))
    if not files:
        problems.append(Problem("", "folder holds no <stack>.json files (from `terraform output -json`)"))
        return None
    stacks: dict[str, dict[str, Any] | None] = {}
    for file in files:
        stack = file.stem
        stacks[stack] = None
        data = _read_json(file, _stack_path(stack), problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(_stack_path(stack), f"{file.name} must be a JSON object {{output: {{value, …}}}}"))
            continue
        outputs: dict[str, Any] = {}
        for name in OUTPUT_NAMES:
            if name not in data:
                continue
            entry = data[name]
            if isinstance(entry, dict) and "value" in entry:
                outputs[name] = entry["value"]
            else:
                problems.append(
                    Problem(
                        f"{_stack_path(stack)}.{name}", 'expected {"value": …} as `terraform output -json` prints it'
                    )
                )
        stacks[stack] = outputs
    return stacks


def _read_json(path: Path, where: str, problems: list[Problem]) -> Any:
    """The JSON of one input file, read within bounds (`render.input_files`: a regular file of at most
    16 MiB; JSON at most 64 levels deep, numbers of at most 64 digits); None when it can't be read,
    its problem recorded."""
    try:
        return read_json_file(path)
    except (InputFileError, JsonInputError) as error:
        problems.append(Problem(where, f"{path}: {error}"))
        return None


def _stack_path(stack: str) -> str:
    """A stack name from the outputs as the start of a key path: printed as it is when it is a plain
    name, else as its repr — a name is input too, and must not reach the terminal raw."""
    return stack if stack.isprintable() and stack.isascii() and " " not in stack else repr(shorten(stack))


# --- stacks --------------------------------------------------------------------------------------


def _check_stacks(
    config: Config, raw: dict[str, dict[str, Any] | None], problems: list[Problem], stacks: Collection[str] | None
) -> list[PairOutputs]:
    specs = {spec.name: spec for spec in config.stacks()}
    for stack in raw:
        if stack not in specs and stack != config.workforce_pool_stack:
            pair_names = ", ".join(name for name, spec in specs.items() if spec.kind is StackKind.PAIR)
            problems.append(
                Problem(
                    _stack_path(stack), f"stack is not in the config {config.source} (its pair stacks: {pair_names})"
                )
            )
    deployed = [name for name, spec in specs.items() if spec.kind is StackKind.PAIR and name in raw]
    # A partial rollout: the deployed pairs can be rendered on their own.
    deploy_first = "deploy it first, or render only the pair stacks that are deployed with --stacks 'GLOB' …" + (
        f" (here: --stacks {' '.join(deployed)})" if deployed else ""
    )
    pairs: list[PairOutputs] = []
    for name, spec in specs.items():
        if spec.kind is not StackKind.PAIR:
            continue  # a created cluster's own stack: its outputs feed the pair stacks, not the render
        if stacks is not None and name not in stacks:
            continue  # not selected with --stacks: may not be deployed yet
        if name not in raw:
            problems.append(Problem(name, f"no outputs for this pair stack of the config: {deploy_first}"))
            continue
        outputs = raw[name]
        if outputs is None:
            continue  # unreadable: its problem is recorded
        assert spec.identity_provider is not None  # pair stacks always name their IdP
        pair = _check_pair(config, name, spec.cluster, spec.identity_provider, outputs, problems)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _check_pair(
    config: Config, stack: str, cluster_key: str, idp: str, outputs: dict[str, Any], problems: list[Problem]
) -> PairOutputs | None:
    """The stack's outputs validated with the contract's models (`constructs_lib.outputs`), and their
    cluster type checked against the config's."""
    expected_type = config.clusters[cluster_key].type
    cluster = outputs.get(CLUSTER)
    found_type = cluster.get("type") if isinstance(cluster, dict) else None
    type_matches = found_type not in set(ClusterType) or found_type == expected_type
    if not type_matches:
        problems.append(
            Problem(
                f"{stack}.{CLUSTER}.type",
                f"is {found_type!r}, but clusters.{cluster_key} in the config is {expected_type!r}",
            )
        )
    if config.is_workforce_cluster(cluster_key):
        workforce = validate(WorkforcePairOutputs, outputs, (stack,), problems, from_yaml=False)
        if workforce is None or not type_matches:
            return None
        return PairOutputs(
            stack=stack,
            cluster_key=cluster_key,
            identity_provider=idp,
            oidc=None,
            workforce=workforce.workforce,
            cluster=_access(workforce.cluster),
        )
    pair = validate(OidcPairOutputs, outputs, (stack,), problems, from_yaml=False)
    if pair is None or not type_matches:
        return None
    oidc = pair.oidc_config
    secret = pair.oidc_client_secret if oidc.requires_client_secret else None
    return PairOutputs(
        stack=stack,
        cluster_key=cluster_key,
        identity_provider=idp,
        oidc=OidcLogin.model_construct(**dict(oidc), client_secret=secret),
        workforce=None,
        cluster=_access(pair.cluster),
    )


def _access(cluster: ClusterOutput) -> ClusterAccess:
    return ClusterAccess.model_construct(**dict(cluster), server_source="the cluster output")


# --- GKE ClientConfigs ---------------------------------------------------------------------------


class _ClientConfigSpec(ContractModel):
    server: HttpsUrl
    certificate_authority_data: CertificateData = Field(alias="certificateAuthorityData")


class _ClientConfig(ContractModel):
    """The parts of a GKE ClientConfig (`kubectl get clientconfig default -n kube-public -o json`) that
    replace the cluster output's server and CA, checked like outputs: a ClientConfig is input too."""

    kind: Literal["ClientConfig"] = "ClientConfig"
    spec: _ClientConfigSpec


def _read_client_configs(
    config: Config, client_configs: Mapping[str, Path], problems: list[Problem]
) -> dict[str, _ClientConfig]:
    endpoints: dict[str, _ClientConfig] = {}
    for cluster_key, path in client_configs.items():
        where = f"--client-config {cluster_key}={path}"
        cluster = config.clusters.get(cluster_key)
        if cluster is None:
            problems.append(Problem(where, f"unknown cluster; the config's clusters: {', '.join(config.clusters)}"))
            continue
        if not isinstance(cluster, GkeClusterConfig):
            problems.append(Problem(where, f"cluster {cluster_key!r} is {cluster.type}; ClientConfigs are GKE's"))
            continue
        if config.is_workforce_cluster(cluster_key):
            problems.append(
                Problem(
                    where,
                    f"cluster {cluster_key!r} uses workforce_identity: gcloud finds its server, not a ClientConfig",
                )
            )
            continue
        data = _read_json(path, where, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(where, f"must be a ClientConfig JSON object, got {describe(data)}"))
            continue
        client_config = validate(_ClientConfig, data, (where,), problems, from_yaml=False)
        if client_config is not None:
            endpoints[cluster_key] = client_config
    return endpoints

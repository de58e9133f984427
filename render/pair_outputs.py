"""The pair stacks' outputs, checked (DESIGN.md contracts 4 and 5): what the render step builds files from.

Outputs are validated with the output contract's models (`constructs_lib.outputs`), which also hold
the render-time re-checks of contract 5, their errors translated to key paths as the config's are
(`stacks.config.messages`). Which outputs a pair has follows from how engineers sign in to its cluster
(`CLUSTER_KINDS[kind].sign_in`): `oidc_config` for kubelogin, `workforce` for gcloud. Every problem is
recorded with the stack and field it concerns, so a run reports everything wrong at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from constructs_lib.outputs import (
    CLUSTER,
    ClusterOutput,
    ClusterType,
    OidcConfigOutput,
    OidcPairOutputs,
    WorkforceOutput,
    WorkforcePairOutputs,
)
from render.outputs_reader import StackOutputs, stack_path
from stacks.config import CLUSTER_KINDS, Config, SignIn, StackKind
from stacks.config.messages import validate
from stacks.errors import Problem

CLUSTER_OUTPUT_SOURCE = "the cluster output"
"""`ClusterAccess.server_source` when the server and CA are the `cluster` output's."""


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


def check_pairs(
    config: Config,
    raw: Mapping[str, StackOutputs | None],
    problems: list[Problem],
    stacks: Collection[str] | None,
) -> list[PairOutputs]:
    """The outputs of the config's pair stacks (those of `stacks`, `--stacks`; default: every one), in
    config order. A stack the config doesn't make, a pair stack without outputs and any output that
    breaks the contract is a problem; stacks mapped to None were unreadable (their problem recorded)."""
    specs = {spec.name: spec for spec in config.stacks()}
    # Their outputs feed no file of their own: the workforce pool's, and the shared applications' (checked in
    # `render.application_outputs`).
    others = {config.workforce_pool_stack, *config.application_stacks()}
    for stack in raw:
        if stack not in specs and stack not in others:
            pair_names = ", ".join(name for name, spec in specs.items() if spec.kind is StackKind.PAIR)
            problems.append(
                Problem(
                    stack_path(stack), f"stack is not in the config {config.source} (its pair stacks: {pair_names})"
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
        pair = _check_pair(config, _Stack(name, spec.cluster, spec.identity_provider), outputs, problems)
        if pair is not None:
            pairs.append(pair)
    return pairs


@dataclass(frozen=True)
class _Stack:
    """A pair stack of the config, whose outputs are being checked."""

    name: str
    cluster_key: str
    identity_provider: str

    def outputs(
        self, cluster: ClusterOutput, *, oidc: OidcLogin | None = None, workforce: WorkforceOutput | None = None
    ) -> PairOutputs:
        return PairOutputs(
            stack=self.name,
            cluster_key=self.cluster_key,
            identity_provider=self.identity_provider,
            oidc=oidc,
            workforce=workforce,
            cluster=ClusterAccess.model_construct(**dict(cluster), server_source=CLUSTER_OUTPUT_SOURCE),
        )


def _check_pair(config: Config, stack: _Stack, outputs: StackOutputs, problems: list[Problem]) -> PairOutputs | None:
    """The stack's outputs validated with the contract's models of its cluster's sign-in, and their
    cluster type checked against the config's."""
    expected_type = config.clusters[stack.cluster_key].type
    cluster = outputs.get(CLUSTER)
    found_type = cluster.get("type") if isinstance(cluster, dict) else None
    type_matches = found_type not in set(ClusterType) or found_type == expected_type
    if not type_matches:
        problems.append(
            Problem(
                f"{stack.name}.{CLUSTER}.type",
                f"is {found_type!r}, but clusters.{stack.cluster_key} in the config is {expected_type!r}",
            )
        )
    sign_in = CLUSTER_KINDS[config.clusters[stack.cluster_key].kind].sign_in
    pair = PAIR_CHECKS[sign_in](stack, outputs, problems)
    return pair if type_matches else None


def _kubelogin_pair(stack: _Stack, outputs: StackOutputs, problems: list[Problem]) -> PairOutputs | None:
    pair = validate(OidcPairOutputs, outputs, (stack.name,), problems, from_yaml=False)
    if pair is None:
        return None
    oidc = pair.oidc_config
    secret = pair.oidc_client_secret if oidc.requires_client_secret else None
    return stack.outputs(pair.cluster, oidc=OidcLogin.model_construct(**dict(oidc), client_secret=secret))


def _gcloud_pair(stack: _Stack, outputs: StackOutputs, problems: list[Problem]) -> PairOutputs | None:
    pair = validate(WorkforcePairOutputs, outputs, (stack.name,), problems, from_yaml=False)
    return None if pair is None else stack.outputs(pair.cluster, workforce=pair.workforce)


PAIR_CHECKS: dict[SignIn, Callable[[_Stack, StackOutputs, list[Problem]], PairOutputs | None]] = {
    SignIn.KUBELOGIN: _kubelogin_pair,
    SignIn.GCLOUD: _gcloud_pair,
}
"""The outputs a pair stack has, by how engineers sign in to its cluster (contract 4)."""


def with_server(pair: PairOutputs, *, server: str, certificate_authority_data: str, source: str) -> PairOutputs:
    """`pair` reaching its cluster at `server` with that CA, as `source` (a ClientConfig file) says."""
    cluster = pair.cluster.model_copy(
        update={"endpoint": server, "certificate_authority_data": certificate_authority_data, "server_source": source}
    )
    return replace(pair, cluster=cluster)

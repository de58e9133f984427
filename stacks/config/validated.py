"""A validated config (`Config`) and the stacks it makes: what `validate` prints, `synth` builds, and the render
step and doctor read."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from pathlib import Path

from constructs_lib.oidc import redirect_uris
from stacks.config.access import AccessRule
from stacks.config.backend import CloudBackend, LocalBackend
from stacks.config.cluster_kinds import SignIn
from stacks.config.clusters import ClusterConfig
from stacks.config.config_file import Defaults
from stacks.config.identity_providers import IdentityProviderConfig
from stacks.config.workforce_pool import WorkforcePool
from stacks.errors import Problem


def local_state_file(stack_name: str) -> str:
    """State file of a stack under the local backend, relative to the project root."""
    return f"terraform.{stack_name}.tfstate"


def pair_stack_name(cluster_name: str, idp_name: str) -> str:
    """The stack of one (cluster, identity provider) pair (contract 4)."""
    return f"{cluster_name}-{idp_name}"


def application_stack_name(idp_name: str) -> str:
    """The stack of an IdP's shared application (contract 4): `<idp>-idp`."""
    return f"{idp_name}-idp"


class StackKind(enum.StrEnum):
    PAIR = "pair"
    CLUSTER = "cluster"
    IDP = "idp"
    """`<idp>-idp`: an IdP's shared application (`Config.application_stacks`)."""


TERRAFORM_CLOUD_STACK = "terraform-cloud"
"""The bootstrap stack of a cloud backend: the workspaces of every other stack (local state, applied first)."""
WORKFORCE_POOL_STACK = "workforce-pool"
"""The stack of the Google workforce pool, its providers and the IdPs' web clients."""
WORKFORCE_CALLBACK = (
    "https://auth.cloud.google/signin-callback/locations/global/workforcePools/{pool}/providers/{provider}"
)


@dataclass(frozen=True)
class StackSpec:
    """One Terraform stack the config makes."""

    name: str
    kind: StackKind
    cluster: str
    identity_provider: str | None = None
    depends_on: tuple[str, ...] = ()
    """The stacks this one is applied after (the App's stack dependencies, `validate --json`'s
    `depends_on`); default: none."""


@dataclass(frozen=True)
class Config:
    """A validated `oidc.yaml`."""

    source: Path
    backend: LocalBackend | CloudBackend
    defaults: Defaults
    identity_providers: dict[str, IdentityProviderConfig]
    clusters: dict[str, ClusterConfig]
    access: list[AccessRule]
    workforce_pool: WorkforcePool | None = None
    warnings: list[Problem] = field(default_factory=list)

    def prefix(self, idp_name: str) -> str:
        return self.identity_providers[idp_name].username_prefix(idp_name)

    def user_claim(self, idp_name: str) -> str:
        return self.identity_providers[idp_name].settings().user_claim

    def groups_claim(self, idp_name: str) -> str | None:
        return self.identity_providers[idp_name].settings().groups_claim

    def scopes(self, idp_name: str) -> tuple[str, ...]:
        return self.identity_providers[idp_name].settings().scopes

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        return redirect_uris(tuple(self.defaults.redirect_ports))

    def stacks(self) -> list[StackSpec]:
        """Every cluster and pair stack, cluster stacks before the pair stacks that reference them, in
        config order, each with the stacks it depends on."""
        specs: list[StackSpec] = []
        for cluster_name, cluster in self.clusters.items():
            if cluster.created:
                specs.append(StackSpec(f"{cluster_name}-cluster", StackKind.CLUSTER, cluster_name))
            for idp in cluster.identity_providers:
                spec = StackSpec(pair_stack_name(cluster_name, idp), StackKind.PAIR, cluster_name, idp)
                specs.append(replace(spec, depends_on=self._pair_dependencies(spec)))
        return specs

    def _pair_dependencies(self, spec: StackSpec) -> tuple[str, ...]:
        dependencies: list[str] = []
        if self.clusters[spec.cluster].created:
            # The pair stack reads the created cluster (cdktf cross-stack references; cdktf would add
            # this dependency at synth only, too late for the terraform-cloud stack's run triggers).
            dependencies.append(f"{spec.cluster}-cluster")
        application = self.application_stack(spec.cluster, spec.identity_provider)
        if application is not None:
            # The cluster trusts the shared application's client id and issuer, read from its stack.
            dependencies.append(application)
        if self.clusters[spec.cluster].facts.workforce_pool:
            # IAM names the pool's principals: the pool and its providers must exist first.
            dependencies.append(WORKFORCE_POOL_STACK)
        previous = self.previous_in_chain(spec)
        if previous is not None:
            # EKS and AKS refuse a second change of the cluster's trust while one runs (409): `cdktf deploy '*'`
            # applies the chain one stack at a time.
            dependencies.append(previous)
        return tuple(dependencies)

    def previous_in_chain(self, spec: StackSpec) -> str | None:
        """The pair stack to apply right before `spec`, or None: the pair stacks of a cluster whose kind
        changes its trust one identity provider at a time (EKS, AKS: `ClusterKindFacts.pair_stacks_chained`) form
        a chain in the order of its `identity_providers`."""
        cluster = self.clusters[spec.cluster]
        if spec.identity_provider is None or not cluster.facts.pair_stacks_chained:
            return None
        position = cluster.identity_providers.index(spec.identity_provider)
        return pair_stack_name(spec.cluster, cluster.identity_providers[position - 1]) if position else None

    def application_stack(self, cluster_name: str, idp_name: str | None) -> str | None:
        """The stack `<idp>-idp` whose application the pair stack of `cluster_name` and `idp_name` uses, or None
        when it makes its own (`application: per_cluster`, or no IdP) or signs in without one (a workforce
        cluster: gcloud signs in through the pool's web client)."""
        if idp_name is None or not self.identity_providers[idp_name].shared_application:
            return None
        if self.clusters[cluster_name].facts.sign_in is not SignIn.KUBELOGIN:
            return None
        return application_stack_name(idp_name)

    def application_stacks(self) -> dict[str, str]:
        """{`<idp>-idp`: the IdP} of every shared application a pair stack uses, in config order: applied
        before those pair stacks, which read its client id and issuer."""
        used = {
            self.application_stack(name, idp)
            for name in self.clusters
            for idp in self.clusters[name].identity_providers
        }
        return {stack: idp for idp in self.identity_providers if (stack := application_stack_name(idp)) in used}

    def clusters_of_application(self, idp_name: str) -> list[str]:
        """The clusters that trust the shared application of `idp_name` (the stack `<idp>-idp`), in config order."""
        return [
            name
            for name, cluster in self.clusters.items()
            if idp_name in cluster.identity_providers and self.application_stack(name, idp_name) is not None
        ]

    @property
    def workforce_identity_providers(self) -> list[str]:
        """IdPs used by clusters that federate through the workforce pool, in config order: one pool
        provider each."""
        used = {
            idp
            for cluster in self.clusters.values()
            if cluster.facts.workforce_pool
            for idp in cluster.identity_providers
        }
        return [name for name in self.identity_providers if name in used]

    def backend_of(self, stack_name: str) -> LocalBackend | CloudBackend:
        """Where a stack keeps its state: the config's backend, except for the `terraform-cloud` stack,
        whose state is local (it creates the workspaces the others keep theirs in)."""
        return LocalBackend() if stack_name == self.terraform_cloud_stack else self.backend

    def stack_names(self) -> list[str]:
        """Every stack `synth` makes, in the order they are applied."""
        bootstrap = [self.terraform_cloud_stack] if self.terraform_cloud_stack else []
        pool = [self.workforce_pool_stack] if self.workforce_pool_stack else []
        return bootstrap + pool + list(self.application_stacks()) + [spec.name for spec in self.stacks()]

    @property
    def terraform_cloud_stack(self) -> str | None:
        """`terraform-cloud` with a cloud backend (it manages the other stacks' workspaces), else None."""
        return TERRAFORM_CLOUD_STACK if isinstance(self.backend, CloudBackend) else None

    @property
    def workforce_pool_stack(self) -> str | None:
        """`workforce-pool` when any cluster uses workforce identity, else None."""
        return WORKFORCE_POOL_STACK if self.workforce_identity_providers else None

    def access_rules_for(self, cluster_name: str, idp_name: str) -> list[AccessRule]:
        return [
            rule
            for rule in self.access
            if rule.identity_provider == idp_name and (rule.clusters is None or cluster_name in rule.clusters)
        ]

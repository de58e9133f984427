"""A validated config (`Config`) and the stacks it makes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType, redirect_uris, requested_scopes
from stacks.config.models import (
    AccessRule,
    CloudBackend,
    Defaults,
    EksClusterConfig,
    EntraIdIdp,
    GkeAuth,
    GkeClusterConfig,
    GoogleWorkspaceIdp,
    JumpCloudIdp,
    LocalBackend,
    OktaIdp,
    WorkforcePool,
)
from stacks.errors import Problem


def local_state_file(stack_name: str) -> str:
    """State file of a stack under the local backend, relative to the project root."""
    return f"terraform.{stack_name}.tfstate"


class StackKind(enum.StrEnum):
    PAIR = "pair"
    CLUSTER = "cluster"


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


@dataclass(frozen=True)
class Config:
    """A validated `oidc.yaml`."""

    source: Path
    backend: LocalBackend | CloudBackend
    defaults: Defaults
    identity_providers: dict[str, OktaIdp | EntraIdIdp | GoogleWorkspaceIdp | JumpCloudIdp]
    clusters: dict[str, EksClusterConfig | GkeClusterConfig]
    access: list[AccessRule]
    workforce_pool: WorkforcePool | None = None
    warnings: list[Problem] = field(default_factory=list)

    def prefix(self, idp_name: str) -> str:
        return self.identity_providers[idp_name].prefix or f"{idp_name}:"

    def user_claim(self, idp_name: str) -> str:
        idp = self.identity_providers[idp_name]
        return idp.user_claim or IDP_DEFAULTS[IdentityProviderType(idp.type)].user_claim

    def groups_claim(self, idp_name: str) -> str | None:
        idp = self.identity_providers[idp_name]
        return idp.groups_claim or IDP_DEFAULTS[IdentityProviderType(idp.type)].groups_claim

    def scopes(self, idp_name: str) -> tuple[str, ...]:
        idp = self.identity_providers[idp_name]
        return requested_scopes(
            IdentityProviderType(idp.type), tuple(idp.scopes) if idp.scopes else None, refresh_tokens=idp.refresh_tokens
        )

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        return redirect_uris(tuple(self.defaults.redirect_ports))

    def stacks(self) -> list[StackSpec]:
        """Every stack, cluster stacks before the pair stacks that reference them, in config order."""
        specs: list[StackSpec] = []
        for cluster_name, cluster in self.clusters.items():
            if cluster.created:
                specs.append(StackSpec(f"{cluster_name}-cluster", StackKind.CLUSTER, cluster_name))
            specs += [
                StackSpec(f"{cluster_name}-{idp}", StackKind.PAIR, cluster_name, idp)
                for idp in cluster.identity_providers
            ]
        return specs

    def is_workforce_cluster(self, cluster_name: str) -> bool:
        cluster = self.clusters[cluster_name]
        return isinstance(cluster, GkeClusterConfig) and cluster.auth is GkeAuth.WORKFORCE_IDENTITY

    @property
    def workforce_identity_providers(self) -> list[str]:
        """IdPs used by `workforce_identity` clusters, in config order: one pool provider each."""
        used = {
            idp for name, c in self.clusters.items() if self.is_workforce_cluster(name) for idp in c.identity_providers
        }
        return [name for name in self.identity_providers if name in used]

    def stack_names(self) -> list[str]:
        """Every stack `synth` makes, in build order."""
        pool = [self.workforce_pool_stack] if self.workforce_pool_stack else []
        return pool + [spec.name for spec in self.stacks()]

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

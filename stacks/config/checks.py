"""Rules across entries: references between sections, the workforce pool, issuers per cluster, stack-name
collisions; and the warnings about what the config uses (unused IdPs, GKE Identity Service, what a CA file
held besides certificates)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stacks.config.access import AccessRule
from stacks.config.clusters import ClusterConfig
from stacks.config.messages import did_you_mean
from stacks.config.validated import Config, StackKind
from stacks.config.workforce_pool import WorkforcePool
from stacks.errors import Problem


@dataclass(frozen=True)
class Declared:
    """The names each section declares, valid entries or not (a reference to a bad entry is no typo)."""

    identity_providers: set[str]
    clusters: set[str]


def check_references(
    declared: Declared,
    idps: dict[str, Any],
    clusters: dict[str, ClusterConfig],
    access: list[AccessRule],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    declared_idps = declared.identity_providers
    declared_clusters = declared.clusters
    for name, cluster in clusters.items():
        for index, idp in enumerate(cluster.identity_providers):
            if idp not in declared_idps:
                problems.append(
                    Problem(
                        f"clusters.{name}.identity_providers[{index}]",
                        f"unknown identity provider {idp!r}{did_you_mean(idp, declared_idps)}; declared: "
                        f"{', '.join(sorted(declared_idps))}",
                    )
                )
    used = {idp for cluster in clusters.values() for idp in cluster.identity_providers}
    for name, idp in idps.items():
        if name not in used:
            warnings.append(Problem(f"identity_providers.{name}", "not used by any cluster: no stack is made for it"))
        warnings += [at(f"identity_providers.{name}", warning) for warning in idp.warnings]

    for index, rule in enumerate(access):
        where = f"access[{index}]"
        rule_idp = idps.get(rule.identity_provider)
        if rule.identity_provider not in declared_idps:
            problems.append(
                Problem(
                    f"{where}.identity_provider",
                    f"unknown identity provider {rule.identity_provider!r}"
                    f"{did_you_mean(rule.identity_provider, declared_idps)}; "
                    f"declared: {', '.join(sorted(declared_idps))}",
                )
            )
        elif rule_idp is not None and rule.group is not None and rule_idp.settings().groups_claim is None:
            problems.append(
                Problem(
                    f"{where}.group",
                    f"{rule.identity_provider} ({rule_idp.type}) puts no groups claim in its ID tokens, "
                    "so a group can never match; name `user`s instead",
                )
            )
        for position, cluster_name in enumerate(rule.clusters or []):
            rule_cluster = clusters.get(cluster_name)
            if cluster_name not in declared_clusters:
                problems.append(
                    Problem(
                        f"{where}.clusters[{position}]",
                        f"unknown cluster {cluster_name!r}{did_you_mean(cluster_name, declared_clusters)}; declared: "
                        f"{', '.join(sorted(declared_clusters))}",
                    )
                )
            elif rule_cluster is not None and rule.identity_provider not in rule_cluster.identity_providers:
                problems.append(
                    Problem(
                        f"{where}.clusters[{position}]",
                        f"cluster {cluster_name!r} does not use identity provider {rule.identity_provider!r}",
                    )
                )


def check_workforce(
    pool: WorkforcePool | None,
    idps: dict[str, Any],
    clusters: dict[str, ClusterConfig],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    workforce = {name: cluster for name, cluster in clusters.items() if cluster.facts.workforce_pool}
    if pool is None:
        problems += [
            Problem(
                f"clusters.{name}.auth",
                "workforce_identity needs a top-level `google_workforce_pool` (organization_id, pool_id)",
            )
            for name in workforce
        ]
    elif not workforce:
        warnings.append(Problem("google_workforce_pool", "no cluster uses `auth: workforce_identity`: no pool is made"))
    for name, cluster in workforce.items():
        for index, idp_name in enumerate(cluster.identity_providers):
            idp = idps.get(idp_name)
            refusal = None if idp is None else idp.workforce_refusal(idp_name, name, index)
            if refusal is not None:
                problems.append(refusal)


def check_unique_issuers(
    idps: dict[str, Any],
    clusters: dict[str, ClusterConfig],
    problems: list[Problem],
) -> None:
    """A cluster trusts each issuer once: kube-apiserver refuses two `jwt` authenticators with one
    `issuer.url` and EKS two identity provider configs with one issuer. Checked where both issuers are
    known at synth time (a configured or fixed issuer; a created Okta server's or Entra's is known after
    deploy). A workforce cluster trusts the pool, not the issuers, so it is left out."""
    for name, cluster in clusters.items():
        if cluster.facts.workforce_pool:
            continue
        by_issuer: dict[str, list[str]] = {}
        for idp_name in cluster.identity_providers:
            idp = idps.get(idp_name)
            issuer = None if idp is None else idp.settings().issuer_url
            if issuer is not None:
                by_issuer.setdefault(issuer, []).append(idp_name)
        for issuer, names in by_issuer.items():
            if len(names) > 1:
                problems.append(
                    Problem(
                        f"clusters.{name}.identity_providers",
                        f"{', '.join(names[:-1])} and {names[-1]} have the same issuer {issuer}, and a cluster "
                        "trusts each issuer once (kube-apiserver and EKS require unique issuer URLs); keep one of "
                        "them on this cluster",
                    )
                )


def check_identity_providers_per_kind(
    idps: dict[str, Any],
    clusters: dict[str, ClusterConfig],
    problems: list[Problem],
) -> None:
    """Each cluster's IdPs that its kind can't trust as configured (an Entra ID IdP on AKS, an issuer behind a
    private CA on GKE), each at the cluster's reference to it."""
    for name, cluster in clusters.items():
        for index, idp_name in enumerate(cluster.identity_providers):
            idp = idps.get(idp_name)
            refusal = None if idp is None else cluster.identity_provider_refusal(idp_name, idp)
            if refusal is not None:
                problems.append(Problem(f"clusters.{name}.identity_providers[{index}]", refusal))


def warn_deprecations(clusters: dict[str, ClusterConfig], warnings: list[Problem]) -> None:
    """One warning per cluster set up in a way that is ending (GKE Identity Service), so a user learns it."""
    warnings += [
        at(f"clusters.{name}", warning) for name, cluster in clusters.items() if (warning := cluster.deprecation)
    ]


def warn_certificate_authority_extras(clusters: dict[str, ClusterConfig], warnings: list[Problem]) -> None:
    """One warning per cluster whose CA file or data held more than certificates (a private key, a pasted
    secret, openssl's text): it was left out, and the user should know and clean it up."""
    warnings += [
        at(f"clusters.{name}", warning)
        for name, cluster in clusters.items()
        if (warning := cluster.certificate_authority_warning)
    ]


def at(entry_path: str, problem: Problem) -> Problem:
    """`problem`, located relative to an entry, at its key path from the top of the file."""
    return Problem(f"{entry_path}.{problem.path}", problem.message)


def check_stack_names(config: Config, problems: list[Problem]) -> None:
    owners: dict[str, str] = {}
    if config.terraform_cloud_stack:
        owners[config.terraform_cloud_stack] = "backend (its Terraform Cloud workspaces)"
    if config.workforce_pool_stack:
        owners[config.workforce_pool_stack] = "google_workforce_pool"
    # Never taken by the two above (`<idp>-idp` ends in `-idp`), nor by each other (IdP names are unique).
    for stack, idp in config.application_stacks().items():
        owners[stack] = f"identity_providers.{idp}.application (shared: the stack of its application)"
    for spec in config.stacks():
        owner = (
            f"clusters.{spec.cluster}.create"
            if spec.kind is StackKind.CLUSTER
            else f"clusters.{spec.cluster}.identity_providers ({spec.identity_provider})"
        )
        if spec.name in owners:
            problems.append(
                Problem(owner, f"stack name {spec.name!r} is also made by {owners[spec.name]}; rename a cluster or IdP")
            )
        else:
            owners[spec.name] = owner

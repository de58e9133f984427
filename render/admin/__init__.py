"""The cluster admins' files, `admin/<cluster>/` (DESIGN.md contract 5): what each kind of cluster needs its
admins to apply before developers can sign in. `ADMIN_FILES` is the one table, keyed by cluster kind; each
kind's builder lives in the module named after it:

- GKE with Identity Service (`gke_identity_service`): the script that turns on Identity Service, exposes
  it and patches the cluster's ClientConfig;
- self-managed Kubernetes (`self_managed`): kube-apiserver's AuthenticationConfiguration and the README
  that says where it goes;
- AKS (`aks`): the README of what its pair stacks' JWT authenticators need of the cluster's admins (the
  preview feature, the version floor, the issuers' reachability) and the RBAC to apply;
- EKS and GKE through a workforce pool: none (their pair stacks configure the cluster, or Google).

A new kind adds its module here and its row in `ADMIN_FILES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from render.admin import aks, gke_identity_service, self_managed
from render.layout import ADMIN_SCRIPT, AUTHENTICATION_CONFIG, README, admin_file, admin_folder
from render.pairs import Pair
from render.tree import File
from stacks.config import ClusterKind, Config
from stacks.errors import Problem


@dataclass(frozen=True, kw_only=True)
class AdminFiles:
    """What the admins of one kind of cluster get."""

    build: Callable[[Config, str, Sequence[Pair]], dict[str, File]]
    """The files of the cluster (`config.clusters[key]`) for its rendered pairs: {path: file}."""
    main_file: str
    """The file that makes the cluster trust its identity providers."""
    replaces: str | None
    """What applying `main_file` replaces whole, as "its …" (the list of the cluster's IdPs): rendered from
    some of the cluster's pairs only (--stacks), applying it removes the others. None: it replaces nothing."""
    readme_field: str
    """The README template's name for where the admins start (`clusters[].<readme_field>`)."""
    readme_path: Callable[[str], str]
    """Where the admins start, from the cluster key: what the README names."""
    problems: Callable[[str, Sequence[Pair]], list[Problem]] | None = None
    """What the cluster itself would refuse of the outputs (bad input, named by stack and field)."""

    def partial_warning(self, key: str, rendered: Sequence[str], declared: Sequence[str]) -> str | None:
        """The warning for a render of `rendered`, some of the cluster's IdPs `declared`; None when applying
        the files removes nothing."""
        if self.replaces is None or len(rendered) >= len(declared):
            return None
        return (
            f"{key}: {admin_file(key, self.main_file)} configures {', '.join(rendered)} only, of the cluster's IdPs "
            f"{', '.join(declared)}: applying it removes the others from {self.replaces}; "
            f"once they are deployed, render them all (--stacks '{key}-*') before applying it"
        )


ADMIN_FILES: Mapping[ClusterKind, AdminFiles | None] = {
    ClusterKind.EKS: None,
    ClusterKind.GKE_IDENTITY_SERVICE: AdminFiles(
        build=gke_identity_service.admin_files,
        main_file=ADMIN_SCRIPT,
        replaces="its ClientConfig",
        readme_field="admin_script",
        readme_path=lambda key: admin_file(key, ADMIN_SCRIPT),
    ),
    ClusterKind.GKE_WORKFORCE: None,
    ClusterKind.SELF_MANAGED: AdminFiles(
        build=self_managed.admin_files,
        main_file=AUTHENTICATION_CONFIG,
        replaces="its kube-apiserver's JWT authenticators",
        readme_field="admin_folder",
        readme_path=admin_folder,
        problems=self_managed.authentication_config_problems,
    ),
    ClusterKind.AKS: AdminFiles(
        build=aks.admin_files,
        main_file=README,
        replaces=None,  # the pair stacks configure the cluster, each its own authenticator
        readme_field="aks_readme",
        readme_path=lambda key: admin_file(key, README),
    ),
}
"""Each cluster kind's admin files; None: its admins get none."""


def _admin(config: Config, key: str) -> AdminFiles | None:
    return ADMIN_FILES[config.clusters[key].kind]


def admin_problems(config: Config, by_cluster: Mapping[str, Sequence[Pair]]) -> list[Problem]:
    """What each cluster would refuse in its admin files, for every cluster."""
    return [
        problem
        for key, pairs in by_cluster.items()
        if (admin := _admin(config, key)) is not None and admin.problems is not None
        for problem in admin.problems(key, pairs)
    ]


def partial_render_warnings(config: Config, by_cluster: Mapping[str, Sequence[Pair]]) -> list[str]:
    """Admin files rendered from some of a cluster's pairs only (--stacks) that would remove the others."""
    warnings: list[str] = []
    for key, pairs in by_cluster.items():
        admin = _admin(config, key)
        if admin is None:
            continue
        rendered = [pair.outputs.identity_provider for pair in pairs]
        warning = admin.partial_warning(key, rendered, config.clusters[key].identity_providers)
        if warning is not None:
            warnings.append(warning)
    return warnings


def admin_files(config: Config, by_cluster: Mapping[str, Sequence[Pair]]) -> dict[str, File]:
    """`admin/<cluster>/…` of every cluster whose kind has admin files."""
    files: dict[str, File] = {}
    for key, pairs in by_cluster.items():
        admin = _admin(config, key)
        if admin is not None:
            files |= admin.build(config, key, pairs)
    return files


def readme_fields(config: Config, key: str) -> dict[str, str | None]:
    """What the README says of the cluster's admin files: each kind's `readme_field`, set for the cluster's own."""
    fields: dict[str, str | None] = {admin.readme_field: None for admin in ADMIN_FILES.values() if admin is not None}
    admin = _admin(config, key)
    if admin is not None:
        fields[admin.readme_field] = admin.readme_path(key)
    return fields

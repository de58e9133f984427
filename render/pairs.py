"""The pair view: each pair stack's checked outputs (`render.pair_outputs`) with what the config adds to them
for the files — its context name, its kubeconfig entries, how the cluster names its users and groups, and
the RBAC bindings of `access:` — grouped by cluster and by identity provider, in config order."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from constructs_lib.oidc import OFFLINE_ACCESS_SCOPE
from constructs_lib.workforce.principals import group_principal_set, user_principal
from render.kubeconfig import KubeconfigEntry
from render.pair_outputs import PairOutputs
from render.rbac import Binding, bindings
from stacks.config import CLUSTER_KINDS, Config

DEVICE_SUFFIX = "-device"
"""A headless sign-in's context (and its cluster and user) is the pair's context name with this suffix."""

# Workforce pool and provider ids as Google allows them (6–63 and 4–32 characters of these).
_WORKFORCE_ID = re.compile(r"[a-z0-9-]{1,63}")


@dataclass(frozen=True)
class Subjects:
    """How the cluster names the IdP's users and groups: a prefix, then the claim's value."""

    user_prefix: str
    user_claim: str
    group_prefix: str
    groups_claim: str | None


@dataclass(frozen=True)
class Pair:
    """A pair stack with everything the templates show about it."""

    outputs: PairOutputs
    context: str
    entry: KubeconfigEntry
    subjects: Subjects
    bindings: list[Binding]
    device_entry: KubeconfigEntry | None = None
    """`<context>-device`, signing in with a device code: only where the IdP opts in (`device_code`)."""
    server_file: Path | None = None
    """The `--client-config` file the server and CA come from; None: from the `cluster` output."""

    @property
    def entries(self) -> list[KubeconfigEntry]:
        return [self.entry] if self.device_entry is None else [self.entry, self.device_entry]

    @property
    def stack(self) -> str:
        return self.outputs.stack

    @property
    def has_secret(self) -> bool:
        return self.outputs.oidc is not None and self.outputs.oidc.client_secret is not None

    @property
    def kind_in_words(self) -> str:
        """What the cluster is, in words: `EKS`, `GKE`, `AKS`, or `self-managed Kubernetes`."""
        cluster = self.outputs.cluster
        return "self-managed Kubernetes" if cluster.region_or_location is None else cluster.type.upper()

    @property
    def description(self) -> str:
        cluster = self.outputs.cluster
        where = "" if cluster.region_or_location is None else f" ({cluster.region_or_location})"
        return f"{self.kind_in_words} cluster {cluster.name}{where}"

    @property
    def refresh_tokens(self) -> bool:
        """Whether kubelogin gets a refresh token: the stack asks for `offline_access` (`refresh_tokens`)."""
        return self.outputs.oidc is not None and OFFLINE_ACCESS_SCOPE in self.outputs.oidc.scopes

    @property
    def gcloud_context(self) -> str:
        """The context name `gcloud container clusters get-credentials` gives a workforce cluster."""
        workforce = self.outputs.workforce
        assert workforce is not None
        return f"gke_{workforce.project}_{workforce.location}_{workforce.cluster_name}"

    @property
    def login_config(self) -> str:
        workforce = self.outputs.workforce
        assert workforce is not None
        return login_config_name(workforce.pool, workforce.provider)


def login_config_name(pool: str, provider: str) -> str:
    """The file name of a provider's gcloud login config, which the developer script keeps in the user's
    gcloud config folder. Ids as the stacks make them name it readably; any other output value (a `/`,
    `..`, a newline, too long a name) would make a path outside that folder or none at all, so it is
    named by a hash of the values instead."""
    if _WORKFORCE_ID.fullmatch(pool) and _WORKFORCE_ID.fullmatch(provider):
        return f"login-config-{pool}-{provider}.json"
    digest = hashlib.sha256(f"{pool}\0{provider}".encode()).hexdigest()[:16]
    return f"login-config-{digest}.json"


def has_secret(pairs: Sequence[Pair]) -> bool:
    """Whether a file made from `pairs` holds a client secret."""
    return any(pair.has_secret for pair in pairs)


@dataclass(frozen=True)
class RenderedPairs:
    """The pairs to render, in config order, and grouped: only clusters and IdPs that have pairs (with
    --stacks, the others are left out entirely)."""

    pairs: list[Pair]
    by_cluster: dict[str, list[Pair]]
    by_idp: dict[str, list[Pair]]


def rendered_pairs(config: Config, outputs: Sequence[PairOutputs], client_configs: Mapping[str, Path]) -> RenderedPairs:
    pairs = [_pair(config, pair, client_configs.get(pair.cluster_key)) for pair in outputs]
    # In config order: clusters and IdPs as declared.
    by_cluster: dict[str, list[Pair]] = {key: [] for key in config.clusters}
    by_idp: dict[str, list[Pair]] = {idp: [] for idp in config.identity_providers}
    for pair in pairs:
        by_cluster[pair.outputs.cluster_key].append(pair)
        by_idp[pair.outputs.identity_provider].append(pair)
    return RenderedPairs(
        pairs,
        by_cluster={key: of_cluster for key, of_cluster in by_cluster.items() if of_cluster},
        by_idp={idp: of_idp for idp, of_idp in by_idp.items() if of_idp},
    )


def _pair(config: Config, outputs: PairOutputs, client_config: Path | None) -> Pair:
    """`outputs` as the templates show them; `client_config`: the file their server and CA come from."""
    idp = outputs.identity_provider
    one_idp = len(config.clusters[outputs.cluster_key].identity_providers) == 1
    context = outputs.cluster_key if one_idp else outputs.stack
    if outputs.oidc is not None:
        oidc = outputs.oidc
        # The cluster's own prefix first (AKS: `aks:jwt:`), then the IdP's.
        cluster = CLUSTER_KINDS[config.clusters[outputs.cluster_key].kind].subject_prefix
        subjects = Subjects(
            cluster + oidc.username_prefix, oidc.user_claim, cluster + oidc.groups_prefix, oidc.groups_claim
        )
    else:
        assert outputs.workforce is not None  # a pair has one or the other
        # The pool maps google.subject and google.groups from the IdP's claims, as the config sets them.
        pool = outputs.workforce.pool
        subjects = Subjects(
            user_principal(pool, ""), config.user_claim(idp), group_principal_set(pool, ""), config.groups_claim(idp)
        )
    # The opt-in is the config's: the oidc_config output contract has no field for it (DESIGN.md).
    device_code = outputs.oidc is not None and config.identity_providers[idp].device_code
    return Pair(
        outputs=outputs,
        context=context,
        entry=KubeconfigEntry(context, outputs),
        device_entry=KubeconfigEntry(f"{context}{DEVICE_SUFFIX}", outputs, device_code=True) if device_code else None,
        subjects=subjects,
        server_file=client_config,
        bindings=bindings(
            idp,
            config.access_rules_for(outputs.cluster_key, idp),
            stack=outputs.stack,
            user_prefix=subjects.user_prefix,
            group_prefix=subjects.group_prefix,
        ),
    )

"""Props of the GKE cluster constructs, created or existing (cdktf-free)."""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass

from constructs_lib.cluster.kubernetes_cluster import gcp_region
from constructs_lib.cluster.network_checks import check_public_access_cidrs, ipv4_network
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_literal

_CLUSTER_NAME = re.compile(r"[a-z]([a-z0-9-]{0,38}[a-z0-9])?")
_LOCATION = re.compile(r"[a-z]+-[a-z]+[0-9]+(-[a-z])?")
_PROJECT = re.compile(r"[a-z][a-z0-9-]{4,28}[a-z0-9]")
_KMS_KEY = re.compile(r"projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+")


def check_cluster_reference(*, cluster_name: str, project: str, location: str) -> None:
    """The three values that find a GKE cluster, created or existing (tokens pass); each refused one named."""
    raise_problems(
        lambda: _check_cluster_name(cluster_name),
        lambda: _check_project(project),
        lambda: _check_location(location),
    )


def _check_cluster_name(cluster_name: str) -> None:
    if is_literal(cluster_name) and not _CLUSTER_NAME.fullmatch(cluster_name):
        raise PropsError(
            "cluster_name",
            f"cluster_name {cluster_name!r} must be lowercase letters, digits and '-', start with a "
            "letter, not end with '-', at most 40 characters; e.g. 'lab'",
        )


def _check_project(project: str) -> None:
    if is_literal(project) and not _PROJECT.fullmatch(project):
        raise PropsError(
            "project",
            f"project must be a Google Cloud project id such as 'acme-data' (6-30 lowercase letters, digits "
            f"and '-', starting with a letter), got {project!r}",
        )


def _check_location(location: str) -> None:
    if is_literal(location) and not _LOCATION.fullmatch(location):
        raise PropsError(
            "location",
            f"location {location!r} must be a region such as 'us-central1' or a zone such as 'us-central1-a'",
        )


@dataclass(frozen=True, kw_only=True)
class ExistingGkeClusterProps:
    """A GKE cluster someone else owns, found by name, project and location. Values may be cdktf tokens."""

    cluster_name: str
    """The cluster's name in the Google Cloud console."""
    project: str
    """The project that holds it."""
    location: str
    """Its region (regional cluster) or zone."""

    def __post_init__(self) -> None:
        check_cluster_reference(cluster_name=self.cluster_name, project=self.project, location=self.location)


class ReleaseChannel(enum.StrEnum):
    """GKE release channels: how soon a cluster gets new Kubernetes versions (always auto-upgraded)."""

    RAPID = "RAPID"
    REGULAR = "REGULAR"
    STABLE = "STABLE"


@dataclass(frozen=True, kw_only=True)
class GkeClusterProps:
    """What the created private GKE Standard cluster looks like. The CIDRs must be literals (they
    are checked for overlaps at synth time); other values may be cdktf tokens."""

    cluster_name: str
    """Lowercase letters, digits and '-', at most 40 characters; also names the network, subnet,
    router, NAT, firewall, node pool and node service account."""
    project: str
    """The Google Cloud project that holds everything."""
    location: str
    """A region (regional cluster: control plane and nodes in each of its zones) or a zone."""
    public_access_cidrs: tuple[str, ...]
    """Master authorized networks: who may reach the public endpoint; no `/0`.

    The only networks that may: engineers' and CI's egress ranges."""
    subnet_cidr: str = "10.10.0.0/20"
    """The nodes' subnet."""
    pods_cidr: str = "10.20.0.0/16"
    """Secondary range for pods."""
    services_cidr: str = "10.30.0.0/20"
    """Secondary range for services."""
    master_cidr: str = "172.16.0.0/28"
    """The control plane's private range: a /28. No range may overlap another."""
    release_channel: ReleaseChannel = ReleaseChannel.REGULAR
    """How soon the cluster gets new Kubernetes versions (always auto-upgraded).

    REGULAR gets versions a few months after RAPID."""
    machine_type: str = "e2-standard-2"
    """Node machine type.

    Identity Service and the system pods fit on the default."""
    node_count: int = 1
    """Nodes per zone of the managed pool (the identity service runs on them).

    Three nodes for a regional cluster by default."""
    identity_service: bool = True
    """Turn on Identity Service for GKE (the cluster trusts OIDC issuers itself); default on. Off for
    clusters reached through Workforce Identity Federation, which needs nothing in the cluster."""
    secrets_encryption_key: str | None = None
    """A Cloud KMS key (`projects/…/locations/<region>/keyRings/…/cryptoKeys/…`) to encrypt Kubernetes
    Secrets with at the application layer; the GKE service agent needs
    `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it. Default: none, etcd is still encrypted at rest
    with Google-managed keys (key rings can never be deleted, so this construct does not create one)."""

    def __post_init__(self) -> None:
        raise_problems(
            lambda: check_cluster_reference(
                cluster_name=self.cluster_name, project=self.project, location=self.location
            ),
            self._check_node_count,
            self._check_secrets_encryption_key,
            lambda: check_public_access_cidrs(self.public_access_cidrs),
            self._validate_ranges,
        )

    def _check_node_count(self) -> None:
        if self.node_count < 1:
            raise PropsError(
                "node_count",
                f"node_count must be at least 1, got {self.node_count}: Identity Service runs on the nodes",
            )

    def _check_secrets_encryption_key(self) -> None:
        if (
            self.secrets_encryption_key is not None
            and is_literal(self.secrets_encryption_key)
            and not _KMS_KEY.fullmatch(self.secrets_encryption_key)
        ):
            raise PropsError(
                "secrets_encryption_key",
                f"secrets_encryption_key {self.secrets_encryption_key!r} must be a Cloud KMS key id, "
                "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>",
            )

    def _validate_ranges(self) -> None:
        """Each range valid, the control plane's a /28, and no two overlapping (among the valid ones)."""
        given = {
            "subnet_cidr": (self.subnet_cidr, "10.10.0.0/20"),
            "pods_cidr": (self.pods_cidr, "10.20.0.0/16"),
            "services_cidr": (self.services_cidr, "10.30.0.0/20"),
            "master_cidr": (self.master_cidr, "172.16.0.0/28"),
        }
        ranges: dict[str, ipaddress.IPv4Network] = {}
        errors: list[PropsError] = []
        for name, (value, example) in given.items():
            try:
                ranges[name] = ipv4_network(name, value, example)
            except PropsError as error:
                errors.append(error)
        master = ranges.get("master_cidr")
        if master is not None and master.prefixlen != 28:
            errors.append(
                PropsError(
                    "master_cidr",
                    f"master_cidr {self.master_cidr} must be a /28 (GKE requirement), e.g. '172.16.0.0/28'",
                )
            )
        names = list(ranges)
        errors += [
            PropsError(
                second,
                f"{first} {ranges[first]} overlaps {second} {ranges[second]}; give each range its own addresses",
            )
            for index, first in enumerate(names)
            for second in names[index + 1 :]
            if ranges[first].overlaps(ranges[second])
        ]
        if errors:
            raise PropsError.several(errors)

    @property
    def region(self) -> str:
        """The region of `location` (`us-central1-a` → `us-central1`)."""
        return gcp_region(self.location)

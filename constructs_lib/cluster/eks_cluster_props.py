"""Props of the EKS cluster constructs, created or existing (cdktf-free: the config model builds them to
validate `oidc.yaml`, so `validate` and `synth` apply the same rules)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from constructs_lib.cluster.network_checks import check_public_access_cidrs, ipv4_network
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_literal

LARGEST_SUBNET_PREFIX = 20
"""Subnets are at most a /20 (4,091 addresses): the rest of a large VPC stays free for subnets you add."""

_CLUSTER_NAME = re.compile(r"[0-9A-Za-z][A-Za-z0-9_-]{0,99}")
_KUBERNETES_VERSION = re.compile(r"1\.[0-9]{2}")
_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+")


def check_region(region: str) -> None:
    """An AWS region name such as `us-west-2` (tokens pass)."""
    if is_literal(region) and not _REGION.fullmatch(region):
        raise PropsError("region", f"region must be an AWS region such as 'us-west-2', got {region!r}")


@dataclass(frozen=True, kw_only=True)
class ExistingEksClusterProps:
    """An EKS cluster someone else owns, found by name in a region. Values may be cdktf tokens."""

    cluster_name: str
    """The cluster's name in the EKS console."""
    region: str
    """The AWS region the cluster runs in, e.g. `us-west-2`."""

    def __post_init__(self) -> None:
        raise_problems(self._check_cluster_name, lambda: check_region(self.region))

    def _check_cluster_name(self) -> None:
        if is_literal(self.cluster_name) and not _CLUSTER_NAME.fullmatch(self.cluster_name):
            raise PropsError(
                "cluster_name",
                f"cluster_name {self.cluster_name!r} is not an EKS cluster name (letters, digits, '-' and '_', "
                "starting with a letter or digit)",
            )


@dataclass(frozen=True, kw_only=True)
class EksClusterProps:
    """What the created EKS control plane looks like. Values may be cdktf tokens (then only
    Terraform validates them)."""

    cluster_name: str
    """The EKS cluster name (also names the VPC, subnets and log groups)."""
    region: str
    """The AWS region of the stack's provider; used in the KMS key policy and the `cluster` output."""
    kubernetes_version: str
    """A minor version such as "1.33" (quoted: YAML reads 1.30 as the number 1.3).

    Upgrading is a change of this value: EKS upgrades in place, one minor at a time."""
    availability_zones: tuple[str, ...]
    """One private subnet per zone; EKS needs at least two, all in `region`."""
    public_access_cidrs: tuple[str, ...]
    """Who may reach the public API endpoint (private access is always on); no `/0`.

    Engineers' and CI's egress ranges; in-VPC callers need no entry."""
    vpc_cidr: str = "10.0.0.0/16"
    """The VPC's range, /16 to /24; split into one private subnet per zone.

    Must be a literal (not a token): it is split at synth time into equal subnets, each at most a /20."""

    def __post_init__(self) -> None:
        raise_problems(
            self._check_cluster_name,
            self._check_kubernetes_version,
            lambda: check_region(self.region),
            self._check_zone_count,
            self._check_zone_repeats,
            self._check_zones_in_region,
            lambda: check_public_access_cidrs(self.public_access_cidrs),
            self._check_vpc_cidr,
        )

    def _check_cluster_name(self) -> None:
        if is_literal(self.cluster_name) and not _CLUSTER_NAME.fullmatch(self.cluster_name):
            raise PropsError(
                "cluster_name",
                f"cluster_name {self.cluster_name!r} must start with a letter or digit and hold only letters, "
                "digits, '-' and '_' (at most 100 characters); e.g. 'prod-cluster'",
            )

    def _check_kubernetes_version(self) -> None:
        if is_literal(self.kubernetes_version) and not _KUBERNETES_VERSION.fullmatch(self.kubernetes_version):
            raise PropsError(
                "kubernetes_version",
                f"kubernetes_version {self.kubernetes_version!r} must be a minor version such as '1.33' "
                "(quote it in YAML: 1.30 unquoted is the number 1.3)",
            )

    def _check_vpc_cidr(self) -> None:
        vpc = ipv4_network("vpc_cidr", self.vpc_cidr, "10.0.0.0/16")
        if not 16 <= vpc.prefixlen <= 24:
            raise PropsError("vpc_cidr", f"vpc_cidr {self.vpc_cidr} must be a /16 to /24 network (AWS VPC limits)")
        self.subnet_cidrs()  # too small for the zones: say so now, not at apply time

    def _check_zone_count(self) -> None:
        if len(self.availability_zones) < 2:
            raise PropsError(
                "availability_zones",
                f"EKS needs subnets in at least two availability zones, got {list(self.availability_zones)}; "
                f"list two or more zones of {self.region}",
            )

    def _check_zone_repeats(self) -> None:
        zones = self.availability_zones
        if len(set(zones)) != len(zones):
            raise PropsError("availability_zones", f"availability_zones must not repeat a zone, got {list(zones)}")

    def _check_zones_in_region(self) -> None:
        if is_literal(self.region):
            outside = [z for z in self.availability_zones if is_literal(z) and not z.startswith(self.region)]
            if outside:
                raise PropsError(
                    "availability_zones",
                    f"availability zones {', '.join(outside)} are not in region {self.region}; "
                    f"use zones such as {self.region}a",
                )

    def subnet_cidrs(self) -> list[str]:
        """One private subnet range per zone, in zone order (deterministic: same input, same ranges)."""
        vpc = ipaddress.IPv4Network(self.vpc_cidr)
        needed = len(self.availability_zones)
        new_prefix = max(vpc.prefixlen + (needed - 1).bit_length(), LARGEST_SUBNET_PREFIX)
        subnets = list(vpc.subnets(new_prefix=new_prefix)) if new_prefix <= 28 else []
        if len(subnets) < needed:
            raise PropsError(
                "vpc_cidr",
                f"vpc_cidr {self.vpc_cidr} is too small for {needed} subnets of at least /28; use a larger range",
            )
        return [str(subnet) for subnet in subnets[:needed]]

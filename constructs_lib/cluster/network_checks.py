"""Eager checks of the network settings shared by the created-cluster props (EKS and GKE)."""

from __future__ import annotations

import ipaddress
from functools import partial

from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_literal


def ipv4_network(field: str, value: str, example: str, *, what: str | None = None) -> ipaddress.IPv4Network:
    """`value` as a network, or a `PropsError` for `field` naming `what` (default: the field) and an example."""
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        raise PropsError(field, f"{what or field} {value!r} is not an IPv4 CIDR ({error}); e.g. {example!r}") from None


def check_public_access_cidrs(cidrs: tuple[str, ...]) -> None:
    """Who may reach the API endpoint: at least one range, each valid, none the whole internet (every
    refused range named, not only the first)."""
    if not cidrs:
        raise PropsError(
            "public_access_cidrs",
            "public_access_cidrs must list who may reach the API endpoint, e.g. ('203.0.113.0/24',) "
            "for your office or VPN egress range",
        )
    raise_problems(*(partial(_check_public_access_cidr, cidr) for cidr in cidrs if is_literal(cidr)))


def _check_public_access_cidr(cidr: str) -> None:
    if ipv4_network("public_access_cidrs", cidr, "203.0.113.0/24", what="public_access_cidrs entry").prefixlen == 0:
        raise PropsError(
            "public_access_cidrs",
            f"public_access_cidrs must not contain {cidr}: it opens the Kubernetes API to the whole "
            "internet; list your egress ranges instead",
        )

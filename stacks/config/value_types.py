"""Value types the config models share: names, whitespace-free tokens, https URLs, CIDRs."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import AfterValidator, StringConstraints

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,29}$"
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=256)]
Token = Annotated[str, StringConstraints(pattern=r"^[^\s]{1,256}$")]
"""A value that must not contain whitespace (claims, scopes, prefixes, ids)."""


def _https_url(value: str) -> str:
    if not re.fullmatch(r"https://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError(f"must be an https:// URL without spaces, query or fragment, got {value!r}")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]


def _cidr(value: str) -> str:
    try:
        return str(ipaddress.IPv4Network(value, strict=True))
    except ValueError as error:
        raise ValueError(f"must be an IPv4 CIDR such as 10.0.0.0/16, got {value!r} ({error})") from None


Cidr = Annotated[str, AfterValidator(_cidr)]


def _public_access_cidr(value: str) -> str:
    if ipaddress.IPv4Network(value).prefixlen == 0:
        raise ValueError(
            f"{value} opens the Kubernetes API to the whole internet; list the networks your "
            "engineers and CI connect from (e.g. the office or VPN egress range)"
        )
    return value


PublicAccessCidr = Annotated[Cidr, AfterValidator(_public_access_cidr)]


def unique(values: list[Any]) -> list[Any]:
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"must not repeat values, repeated: {', '.join(duplicates)}")
    return values

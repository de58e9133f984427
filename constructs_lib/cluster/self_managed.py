"""A self-managed cluster (kubeadm, k3s, RKE2, Talos, …): known from its API endpoint and CA alone.

Nothing is created or read for it: no cloud API reaches its kube-apiserver's authentication settings,
so the cluster side is a file its admins install (an `AuthenticationConfiguration`, written by the
render step). This module has no cdktf or jsii import: the config model uses its checks too.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from constructs_lib.cluster.kubernetes_cluster import ClusterType

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.DOTALL)
_DER_SEQUENCE = 0x30
MAX_CERTIFICATE_DATA = 64 * 1024
"""Characters of base64 CA data at most (the render step refuses longer certificate data)."""


def certificate_pem_problem(pem: bytes) -> str | None:
    """Why `pem` is not one or more PEM `CERTIFICATE` blocks of DER data, or None when it is.

    Checked as far as kubeconfig and kube-apiserver need: every block is a CERTIFICATE (a private key
    pasted by mistake is refused, and never echoed), its body is base64, and that decodes to one whole
    DER SEQUENCE, the outer structure of an X.509 certificate."""
    blocks = _PEM_BLOCK.findall(pem)
    if not blocks:
        return "holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)"
    for index, (label, body) in enumerate(blocks, start=1):
        if label != b"CERTIFICATE":
            return f"PEM block {index} is a {label.decode()}, not a CERTIFICATE"
        try:
            der = base64.b64decode(b"".join(body.split()), validate=True)
        except binascii.Error:
            return f"PEM block {index} is not valid base64"
        if not _is_one_der_sequence(der):
            return f"PEM block {index} does not hold a DER-encoded certificate"
    return None


def _is_one_der_sequence(der: bytes) -> bool:
    """A SEQUENCE whose encoded length covers exactly the rest of the data (X.690 definite form)."""
    if len(der) < 2 or der[0] != _DER_SEQUENCE:
        return False
    first = der[1]
    if first < 0x80:
        return len(der) == 2 + first
    size = first & 0x7F
    if size == 0 or size > 4 or len(der) < 2 + size:
        return False
    return len(der) == 2 + size + int.from_bytes(der[2 : 2 + size], "big")


def certificate_data_problem(data: str) -> str | None:
    """Why `data` is not base64 of PEM certificates (kubeconfig's `certificate-authority-data`), or None."""
    if len(data) > MAX_CERTIFICATE_DATA:
        return f"is longer than {MAX_CERTIFICATE_DATA // 1024} KiB: give the API server's CA certificate(s) only"
    try:
        pem = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return "is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`)"
    problem = certificate_pem_problem(pem)
    return None if problem is None else f"decodes to text that {problem}"


def endpoint_problem(endpoint: str) -> str | None:
    """Why `endpoint` is not an https URL of an API server, or None."""
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as error:
        return f"is not a URL ({error})"
    if parts.scheme != "https" or not parts.hostname:
        return "must be an https:// URL with a host (kubectl sends tokens to it)"
    if parts.query or parts.fragment or parts.username is not None or any(c.isspace() for c in endpoint):
        return "must hold no spaces, credentials, query or fragment"
    return None


@dataclass(frozen=True, kw_only=True)
class SelfManagedCluster:
    """A `KubernetesCluster` known from its attributes; validated when built."""

    cluster_name: str
    """How the cluster is known to k8s-oidc (its key in the config); names the `cluster` output."""
    endpoint: str
    """`https://host[:port]` of the kube-apiserver, as engineers' kubectl reaches it."""
    certificate_authority_data: str
    """Base64 of the PEM certificate(s) that signed the API server's serving certificate."""

    @property
    def cluster_type(self) -> ClusterType:
        return ClusterType.KUBERNETES

    @property
    def region_or_location(self) -> None:
        """A self-managed cluster has no cloud region: the `cluster` output holds null."""
        return None

    def __post_init__(self) -> None:
        problem = endpoint_problem(self.endpoint)
        if problem is not None:
            raise ValueError(f"endpoint {self.endpoint!r} {problem}; e.g. 'https://k8s.example.com:6443'")
        problem = certificate_data_problem(self.certificate_authority_data)
        if problem is not None:
            raise ValueError(f"certificate_authority_data {problem}")

"""A self-managed cluster (kubeadm, k3s, RKE2, Talos, …): known from its API endpoint and CA alone.

Nothing is created or read for it: no cloud API reaches its kube-apiserver's authentication settings,
so the cluster side is a file its admins install (an `AuthenticationConfiguration`, written by the
render step). This module has no cdktf or jsii import: the config model uses its rules too.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib.certificates import CertificateError, certificates_from_base64
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.https_urls import https_url_problem
from constructs_lib.props_error import PropsError, raise_problems

ENDPOINT_EXAMPLE = "https://k8s.example.com:6443"


@dataclass(frozen=True, kw_only=True)
class SelfManagedCluster:
    """A `KubernetesCluster` known from its attributes; validated when built."""

    cluster_name: str
    """How the cluster is known to k8s-oidc (its key in the config); names the `cluster` output."""
    endpoint: str
    """`https://host[:port]` of the kube-apiserver, as engineers' kubectl reaches it: a plain https URL
    (no user name, query or fragment)."""
    certificate_authority_data: str
    """Base64 of the PEM certificate(s) that signed the API server's serving certificate: CERTIFICATE
    blocks only (anything else, such as a private key, is refused). Kept as each certificate re-encoded
    from its parsed DER, so only what parsed as a certificate reaches the `cluster` output."""

    @property
    def cluster_type(self) -> ClusterType:
        return ClusterType.KUBERNETES

    @property
    def region_or_location(self) -> None:
        """A self-managed cluster has no cloud region: the `cluster` output holds null."""
        return None

    def __post_init__(self) -> None:
        raise_problems(self._check_endpoint, self._check_certificate_authority)

    def _check_endpoint(self) -> None:
        problem = https_url_problem(self.endpoint)
        if problem is not None:
            raise PropsError("endpoint", f"endpoint {self.endpoint!r} {problem}; e.g. {ENDPOINT_EXAMPLE!r}")

    def _check_certificate_authority(self) -> None:
        field = "certificate_authority_data"
        try:
            certificates = certificates_from_base64(self.certificate_authority_data)
        except CertificateError as error:
            raise PropsError(field, f"{field} {error}") from None
        if certificates.dropped:
            # The config drops such parts with a warning; a library caller gets told instead.
            raise PropsError(field, f"{field} decodes to text that {' and '.join(certificates.dropped)}")
        object.__setattr__(self, field, certificates.base64)

"""A `kubernetes` cluster entry: a self-managed cluster whose kube-apiserver its admins run, known from its
endpoint and CA alone (nothing is created or read for it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from constructs_lib.cluster.self_managed import ENDPOINT_EXAMPLE, SelfManagedCluster
from constructs_lib.https_urls import https_url_problem
from constructs_lib.props_error import PropsError, raise_problems
from stacks.config.certificate_authority import CertificateAuthority, read_certificate_authority
from stacks.config.cluster_kinds import ClusterKind
from stacks.config.clusters.base import ClusterEntry
from stacks.config.value_types import Name, unique
from stacks.errors import Problem

MAX_JWT_AUTHENTICATORS = 64
"""kube-apiserver takes at most this many `jwt` authenticators in its AuthenticationConfiguration."""
API_SERVER_CA = "the API server's"


class KubernetesClusterConfig(ClusterEntry):
    """A cluster whose kube-apiserver you run (kubeadm, k3s, RKE2, Talos, …): no cloud resources; the
    render step writes the `AuthenticationConfiguration` its admins install."""

    type: Literal["kubernetes"]
    endpoint: str
    """`https://host[:port]` of the kube-apiserver, as engineers' kubectl reaches it."""
    certificate_authority_data: str | None = None
    """Base64 of the PEM CA certificate(s) of the API server, as kubeconfig's certificate-authority-data."""
    certificate_authority_file: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = None
    """A PEM file of the CA certificate(s), relative to the config file's folder; read when the config loads."""
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]
    """The identity providers this cluster trusts, 1 to 64 (one JWT authenticator each)."""
    _certificate_authority: CertificateAuthority = PrivateAttr()

    @field_validator("identity_providers")
    @classmethod
    def _at_most_64(cls, names: list[str]) -> list[str]:
        if len(names) > MAX_JWT_AUTHENTICATORS:
            raise ValueError(
                f"kube-apiserver takes at most {MAX_JWT_AUTHENTICATORS} JWT authenticators, one per identity "
                f"provider, got {len(names)}"
            )
        return names

    @model_validator(mode="after")
    def _endpoint_and_certificate_authority(self, info: ValidationInfo) -> KubernetesClusterConfig:
        # The endpoint's and the CA's problems together: one does not hide the other.
        config_dir = Path((info.context or {}).get("config_dir", "."))
        raise_problems(self._check_endpoint, lambda: self._read_certificate_authority(config_dir))
        return self

    def _check_endpoint(self) -> None:
        problem = https_url_problem(self.endpoint)
        if problem is not None:
            raise PropsError("endpoint", f"{self.endpoint!r} {problem}; e.g. {ENDPOINT_EXAMPLE}")

    def _read_certificate_authority(self, config_dir: Path) -> None:
        data, file = self.certificate_authority_data, self.certificate_authority_file
        if (data is None) == (file is None):
            raise PropsError(
                "",
                "give exactly one of `certificate_authority_data` (base64 of the API server's PEM CA "
                "certificate) or `certificate_authority_file` (the PEM file, relative to this config file), "
                "e.g. certificate_authority_file: pki/ca.crt",
            )
        self._certificate_authority = read_certificate_authority(config_dir, data=data, file=file, whose=API_SERVER_CA)

    @property
    def region_or_location(self) -> None:
        return None

    @property
    def kind(self) -> ClusterKind:
        return ClusterKind.SELF_MANAGED

    @property
    def certificate_authority(self) -> str:
        """Base64 PEM of the CA certificates from `certificate_authority_data` or the file (read at load
        time): only the CERTIFICATE blocks, each re-encoded from its parsed DER."""
        return self._certificate_authority.base64

    @property
    def certificate_authority_warning(self) -> Problem | None:
        """What of the CA file or data was left out, at its key (relative to the entry); None when it held
        certificates only."""
        return self._certificate_authority.warning

    def cluster(self, name: str) -> SelfManagedCluster:
        """The cluster object of the pair stacks' `cluster` output; `name` is the cluster's config key."""
        return SelfManagedCluster(
            cluster_name=name, endpoint=self.endpoint, certificate_authority_data=self.certificate_authority
        )

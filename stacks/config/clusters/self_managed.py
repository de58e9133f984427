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

from constructs_lib.certificates import (
    MAX_CERTIFICATE_DATA,
    CertificateError,
    Certificates,
    certificates_from_base64,
    extract_certificates,
)
from constructs_lib.cluster.self_managed import ENDPOINT_EXAMPLE, SelfManagedCluster
from constructs_lib.https_urls import https_url_problem
from constructs_lib.props_error import PropsError, raise_problems
from stacks.config.cluster_kinds import ClusterKind
from stacks.config.clusters.base import ClusterEntry
from stacks.config.value_types import Name, unique
from stacks.errors import Problem

MAX_JWT_AUTHENTICATORS = 64
"""kube-apiserver takes at most this many `jwt` authenticators in its AuthenticationConfiguration."""


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
    _certificates: Certificates = PrivateAttr()
    _certificate_source: str = PrivateAttr()

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
        if file is not None and data is None:
            self._certificate_source = _file_shown(config_dir, file)
            pem = _read_certificate_authority_file(config_dir, file, self._certificate_source)
            try:
                self._certificates = extract_certificates(pem)
            except CertificateError as error:
                raise PropsError(
                    "certificate_authority_file",
                    f"{self._certificate_source} {error}; give the API server's PEM CA certificate",
                ) from None
        elif data is not None and file is None:
            self._certificate_source = "the decoded PEM"
            try:
                self._certificates = certificates_from_base64(data)
            except CertificateError as error:
                raise PropsError(
                    "certificate_authority_data", f"{error}; or give the PEM file as `certificate_authority_file`"
                ) from None
        else:
            raise PropsError(
                "",
                "give exactly one of `certificate_authority_data` (base64 of the API server's PEM CA "
                "certificate) or `certificate_authority_file` (the PEM file, relative to this config file), "
                "e.g. certificate_authority_file: pki/ca.crt",
            )

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
        return self._certificates.base64

    @property
    def certificate_authority_warning(self) -> Problem | None:
        """What of the CA file or data was left out, at its key (relative to the entry); None when it held
        certificates only. Never its content: a key or secret pasted beside the certificate stays out of
        every message too."""
        dropped = self._certificates.dropped
        if not dropped:
            return None
        key = (
            "certificate_authority_file"
            if self.certificate_authority_file is not None
            else "certificate_authority_data"
        )
        return Problem(
            key,
            f"{self._certificate_source} holds more than certificates ({'; '.join(dropped)}): only its CERTIFICATE "
            "blocks are used, each re-encoded, and nothing else of it is embedded anywhere; remove the rest (a key "
            "or secret kept beside a CA certificate is readable by everyone who can read it)",
        )

    def cluster(self, name: str) -> SelfManagedCluster:
        """The cluster object of the pair stacks' `cluster` output; `name` is the cluster's config key."""
        return SelfManagedCluster(
            cluster_name=name, endpoint=self.endpoint, certificate_authority_data=self.certificate_authority
        )


def _file_shown(config_dir: Path, file: str) -> str:
    """`file` for a message: as written, and where it resolved to when relative."""
    return f"{file!r} ({(config_dir / file).resolve()})" if not Path(file).is_absolute() else repr(file)


def _read_certificate_authority_file(config_dir: Path, file: str, shown: str) -> bytes:
    """The bytes of the PEM file `file` (relative to `config_dir`), bounded; errors at the file's key."""
    path = config_dir / file
    # Base64 makes 4 characters of every 3 bytes: read no more than fits the limit, plus one byte to tell.
    limit = MAX_CERTIFICATE_DATA // 4 * 3
    try:
        # A FIFO or device would block the read or never end: only a regular file is read.
        if path.exists() and not path.is_file():
            raise PropsError("certificate_authority_file", f"cannot read {shown}: not a regular file")
        with path.open("rb") as handle:
            pem = handle.read(limit + 1)
    except FileNotFoundError:
        raise PropsError(
            "certificate_authority_file", f"cannot read {shown}: no such file (the path is relative to the config file)"
        ) from None
    except OSError as error:
        raise PropsError("certificate_authority_file", f"cannot read {shown}: {error.strerror or error}") from None
    if len(pem) > limit:
        raise PropsError(
            "certificate_authority_file",
            f"{shown} is larger than {limit // 1024} KiB: give the API server's CA certificate(s) only",
        )
    return pem

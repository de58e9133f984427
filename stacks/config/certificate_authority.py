"""A CA certificate the config gives, as `certificate_authority_file` (a PEM file, relative to the config file)
or `certificate_authority_data` (base64 PEM): a self-managed cluster's API server CA, an `oidc` IdP's issuer CA.

Read once, bounded, and kept as certificates only (`constructs_lib.certificates`: each CERTIFICATE block
re-encoded from its parsed DER). What else the input held is left out with a warning that names the file or
key, never the content: a key or secret pasted beside a certificate stays out of every message too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from constructs_lib.certificates import (
    MAX_CERTIFICATE_DATA,
    CertificateError,
    Certificates,
    certificates_from_base64,
    extract_certificates,
)
from constructs_lib.props_error import PropsError
from stacks.errors import Problem
from stacks.input_files import InputFileError, InputTooLarge, MissingInputFile, read_input_file

FILE_KEY = "certificate_authority_file"
DATA_KEY = "certificate_authority_data"


@dataclass(frozen=True)
class CertificateAuthority:
    """The certificates of a configured CA, and where they came from."""

    certificates: Certificates
    key: str
    """The config key that gave it: `certificate_authority_file` or `certificate_authority_data`."""
    source: str
    """How messages name it: the file as written and where it resolved to, or "the decoded PEM"."""

    @property
    def base64(self) -> str:
        """Base64 PEM of the certificates alone, as kubeconfig's `certificate-authority-data` takes it."""
        return self.certificates.base64

    @property
    def warning(self) -> Problem | None:
        """What of the input was left out, at its key (relative to the entry); None when it held certificates
        only."""
        dropped = self.certificates.dropped
        if not dropped:
            return None
        return Problem(
            self.key,
            f"{self.source} holds more than certificates ({'; '.join(dropped)}): only its CERTIFICATE "
            "blocks are used, each re-encoded, and nothing else of it is embedded anywhere; remove the rest (a key "
            "or secret kept beside a CA certificate is readable by everyone who can read it)",
        )


def read_certificate_authority(
    config_dir: Path, *, data: str | None, file: str | None, whose: str
) -> CertificateAuthority:
    """The CA of `file` (relative to `config_dir`) or of base64 `data`, exactly one of which is given (the
    caller says what giving neither or both means). `whose`: whose CA it is, as messages say it ("the API
    server's"). `PropsError` at the key of the input that holds no usable certificate."""
    if file is not None:
        source = _file_shown(config_dir, file)
        pem = _read_file(config_dir, file, source, whose)
        try:
            return CertificateAuthority(extract_certificates(pem), FILE_KEY, source)
        except CertificateError as error:
            raise PropsError(FILE_KEY, f"{source} {error}; give {whose} PEM CA certificate") from None
    assert data is not None, "give data or a file"
    try:
        return CertificateAuthority(certificates_from_base64(data), DATA_KEY, "the decoded PEM")
    except CertificateError as error:
        raise PropsError(DATA_KEY, f"{error}; or give the PEM file as `{FILE_KEY}`") from None


def _file_shown(config_dir: Path, file: str) -> str:
    """`file` for a message: as written, and where it resolved to when relative."""
    return f"{file!r} ({(config_dir / file).resolve()})" if not Path(file).is_absolute() else repr(file)


def _read_file(config_dir: Path, file: str, shown: str, whose: str) -> bytes:
    """The bytes of the PEM file `file` (relative to `config_dir`), bounded; errors at the file's key."""
    path = config_dir / file
    # Base64 makes 4 characters of every 3 bytes: read no more than fits the limit, plus one byte to tell.
    limit = MAX_CERTIFICATE_DATA // 4 * 3
    try:
        return read_input_file(path, limit=limit)
    except MissingInputFile:
        raise PropsError(
            FILE_KEY, f"cannot read {shown}: no such file (the path is relative to the config file)"
        ) from None
    except InputTooLarge:
        raise PropsError(
            FILE_KEY, f"{shown} is larger than {limit // 1024} KiB: give {whose} CA certificate(s) only"
        ) from None
    except InputFileError as error:
        raise PropsError(FILE_KEY, f"{shown}: {error}") from None

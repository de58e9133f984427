"""Certificates out of a PEM file or base64 PEM data: only the `CERTIFICATE` blocks, each really parsed as
X.509 and re-encoded from its DER (cdktf-free: the config model, the self-managed cluster and the
output contract use it).

A CA file is often a bundle someone pasted together, and what sits beside the certificate in it —
a private key, `AWS_SECRET_ACCESS_KEY=…`, openssl's text dump — must never reach the synthesised JSON,
kubeconfigs or the render. So nothing of the input is passed on as it is: each certificate is
written anew from the DER that parsed, and the rest is reported (`Certificates.dropped`) without its
content. `cryptography` is imported when a certificate is parsed, not with this module: the output
contract checks the shape only (`certificate_shape_problem`), and importing it must add nothing but
pydantic to a process.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

MAX_CERTIFICATE_DATA = 64 * 1024
"""Characters of base64 CA data at most (the render step refuses longer certificate data)."""
CERTIFICATE_LABEL = "CERTIFICATE"

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.DOTALL)
_DER_SEQUENCE = b"\x30"
"""The first byte of a DER SEQUENCE, which every X.509 certificate is."""
_LABEL_SHOWN = 40
"""A PEM label is named in messages (`a RSA PRIVATE KEY`), cut to this length."""


class CertificateError(ValueError):
    """Input that yields no certificate to use. The message is a phrase that reads after the input's
    name (`'ca.crt' holds no PEM block …`)."""


@dataclass(frozen=True)
class PemBlock:
    """One `-----BEGIN <label>----- … -----END <label>-----` block."""

    index: int
    """1-based position among the input's blocks, as messages count them."""
    label: str
    body: bytes
    """The base64 between the lines, as written (line breaks included)."""

    @property
    def der(self) -> bytes | None:
        """The decoded body, or None when it is not base64."""
        try:
            return base64.b64decode(b"".join(self.body.split()), validate=True)
        except binascii.Error:
            return None

    @property
    def not_a_certificate(self) -> str:
        return f"PEM block {self.index} is a {self.label[:_LABEL_SHOWN]}, not a {CERTIFICATE_LABEL}"


@dataclass(frozen=True)
class PemText:
    """A PEM text split into its blocks and the lines of other text around them."""

    blocks: tuple[PemBlock, ...]
    other_lines: int
    """Lines outside the blocks holding anything but whitespace (openssl's dump, a stray secret, …)."""

    @property
    def other_text(self) -> str:
        return f"holds {self.other_lines} line{'s' if self.other_lines != 1 else ''} of text outside its PEM blocks"


def split_pem(pem: bytes) -> PemText:
    """`pem`'s blocks in order, and how many lines of other text surround them."""
    blocks = tuple(
        PemBlock(index=index, label=match.group(1).decode("ascii"), body=match.group(2))
        for index, match in enumerate(_PEM_BLOCK.finditer(pem), start=1)
    )
    outside = _PEM_BLOCK.sub(b"\n", pem)
    return PemText(blocks=blocks, other_lines=sum(1 for line in outside.splitlines() if line.strip()))


@dataclass(frozen=True)
class Certificates:
    """The certificates of an input, ready to embed, and what else it held."""

    pem: bytes
    """Every CERTIFICATE block in input order, each re-encoded from its parsed DER (canonical PEM)."""
    dropped: tuple[str, ...]
    """What else the input held, one phrase each, never its content (`PEM block 2 is a PRIVATE KEY, not a
    CERTIFICATE`, `holds 3 lines of text outside its PEM blocks`); empty when it held certificates only."""

    @property
    def base64(self) -> str:
        """Base64 of `pem`, as kubeconfig's `certificate-authority-data` takes it."""
        return base64.b64encode(self.pem).decode("ascii")


def extract_certificates(pem: bytes) -> Certificates:
    """The certificates of `pem`; `CertificateError` when it holds none, or a CERTIFICATE block that is
    not an X.509 certificate (a certificate meant to be there is never dropped quietly)."""
    # Imported here: see the module's docstring.
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    text = split_pem(pem)
    if not text.blocks:
        raise CertificateError(
            f"holds no PEM block (-----BEGIN {CERTIFICATE_LABEL}----- … -----END {CERTIFICATE_LABEL}-----)"
        )
    certificates: list[bytes] = []
    dropped: list[str] = []
    for block in text.blocks:
        if block.label != CERTIFICATE_LABEL:
            dropped.append(block.not_a_certificate)
            continue
        der = block.der
        if der is None:
            raise CertificateError(f"PEM block {block.index} is not valid base64")
        try:
            certificate = x509.load_der_x509_certificate(der)
        except ValueError:
            raise CertificateError(f"PEM block {block.index} does not hold a DER-encoded certificate") from None
        certificates.append(certificate.public_bytes(Encoding.PEM))
    if not certificates:
        raise CertificateError(dropped[0])
    if text.other_lines:
        dropped.append(text.other_text)
    return Certificates(pem=b"".join(certificates), dropped=tuple(dropped))


def certificate_shape_problem(pem: bytes) -> str | None:
    """Why `pem` is not CERTIFICATE blocks alone, each base64 of a DER SEQUENCE (the outer structure of an
    X.509 certificate), or None. A check of the shape only, without parsing: for certificate data from
    stack outputs, which was parsed when it was synthesised (or comes from the cloud), and must still hold
    nothing beside certificates."""
    text = split_pem(pem)
    if not text.blocks:
        return f"holds no PEM block (-----BEGIN {CERTIFICATE_LABEL}----- … -----END {CERTIFICATE_LABEL}-----)"
    for block in text.blocks:
        if block.label != CERTIFICATE_LABEL:
            return block.not_a_certificate
        der = block.der
        if der is None:
            return f"PEM block {block.index} is not valid base64"
        if not der.startswith(_DER_SEQUENCE):
            return f"PEM block {block.index} does not hold a DER SEQUENCE (the outer structure of a certificate)"
    return text.other_text if text.other_lines else None


def certificates_from_base64(data: str) -> Certificates:
    """The certificates of base64 PEM `data` (kubeconfig's `certificate-authority-data`); `CertificateError`
    when it is too long, not base64, or holds no certificate."""
    if len(data) > MAX_CERTIFICATE_DATA:
        raise CertificateError(
            f"is longer than {MAX_CERTIFICATE_DATA // 1024} KiB: give the API server's CA certificate(s) only"
        )
    try:
        pem = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise CertificateError("is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`)") from None
    try:
        return extract_certificates(pem)
    except CertificateError as error:
        raise CertificateError(f"decodes to text that {error}") from None

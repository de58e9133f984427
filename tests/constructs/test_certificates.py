"""Certificates out of CA files and data (constructs_lib/certificates.py): only the CERTIFICATE blocks,
each parsed as X.509 and re-encoded from its DER; everything else is dropped and described without its
content; no certificate, or a CERTIFICATE block that is none, is an error."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from constructs_lib.certificates import (
    MAX_CERTIFICATE_DATA,
    CertificateError,
    certificate_shape_problem,
    certificates_from_base64,
    extract_certificates,
    split_pem,
)

CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
DER = base64.b64decode(b"".join(CA_PEM.splitlines()[1:-1]))
SECRET = b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PRIVATE_KEY_BODY = b"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg" + SECRET[:16]


def pem_block(label: str, der: bytes, *, width: int = 64, newline: bytes = b"\n") -> bytes:
    body = base64.b64encode(der)
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return newline.join([f"-----BEGIN {label}-----".encode(), *lines, f"-----END {label}-----".encode(), b""])


def test_a_canonical_pem_file_comes_back_byte_for_byte() -> None:
    certificates = extract_certificates(CA_PEM)
    assert certificates.pem == CA_PEM
    assert certificates.base64 == base64.b64encode(CA_PEM).decode()
    assert certificates.dropped == ()


def test_each_certificate_is_re_encoded_from_its_der() -> None:
    # 76-character lines and CRLF, as other tools write PEM: the same certificate, written canonically.
    written_otherwise = pem_block("CERTIFICATE", DER, width=76, newline=b"\r\n")
    assert written_otherwise != CA_PEM
    assert extract_certificates(written_otherwise).pem == CA_PEM
    bundle = extract_certificates(CA_PEM + b"\n\n" + written_otherwise)
    assert bundle.pem == CA_PEM + CA_PEM
    assert bundle.dropped == ()


def test_what_else_the_file_holds_is_dropped_and_described_without_its_content() -> None:
    pem = (
        b"subject=CN = k8s-oidc test onprem CA\n"
        + CA_PEM
        + b"AWS_SECRET_ACCESS_KEY="
        + SECRET
        + b"\n"
        + b"-----BEGIN PRIVATE KEY-----\n"
        + PRIVATE_KEY_BODY
        + b"\n-----END PRIVATE KEY-----\n"
    )
    certificates = extract_certificates(pem)
    assert certificates.pem == CA_PEM
    assert certificates.dropped == (
        "PEM block 2 is a PRIVATE KEY, not a CERTIFICATE",
        "holds 2 lines of text outside its PEM blocks",
    )
    kept = certificates.pem + certificates.base64.encode() + " ".join(certificates.dropped).encode()
    for secret in (SECRET, PRIVATE_KEY_BODY, b"AWS_SECRET_ACCESS_KEY", b"subject="):
        assert secret not in kept


def test_a_begin_line_without_its_end_is_text_and_dropped() -> None:
    pem = CA_PEM + b"-----BEGIN RSA PRIVATE KEY-----\n" + PRIVATE_KEY_BODY + b"\n"
    certificates = extract_certificates(pem)
    assert certificates.pem == CA_PEM
    assert certificates.dropped == ("holds 2 lines of text outside its PEM blocks",)


@pytest.mark.parametrize(
    ("pem", "problem"),
    [
        (b"", "holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)"),
        (
            b"AWS_SECRET_ACCESS_KEY=" + SECRET,
            "holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
        ),
        (pem_block("PRIVATE KEY", b"\x30\x03\x02\x01\x00"), "PEM block 1 is a PRIVATE KEY, not a CERTIFICATE"),
        (b"-----BEGIN CERTIFICATE-----\nno*base64\n-----END CERTIFICATE-----\n", "PEM block 1 is not valid base64"),
        (pem_block("CERTIFICATE", b"hello"), "PEM block 1 does not hold a DER-encoded certificate"),
        # The DER checks: the outer SEQUENCE tag, and a length that covers exactly the data.
        (pem_block("CERTIFICATE", b"\x31" + DER[1:]), "PEM block 1 does not hold a DER-encoded certificate"),
        (pem_block("CERTIFICATE", DER[:-1]), "PEM block 1 does not hold a DER-encoded certificate"),
        (pem_block("CERTIFICATE", DER + b"\x00"), "PEM block 1 does not hold a DER-encoded certificate"),
        (CA_PEM + pem_block("CERTIFICATE", DER + b"\x00"), "PEM block 2 does not hold a DER-encoded certificate"),
    ],
    ids=[
        "empty",
        "no-pem",
        "only-a-key",
        "bad-base64",
        "not-der",
        "not-a-sequence",
        "truncated",
        "trailing-byte",
        "second-block",
    ],
)
def test_no_certificate_or_a_certificate_block_that_is_none_is_an_error(pem: bytes, problem: str) -> None:
    with pytest.raises(CertificateError) as raised:
        extract_certificates(pem)
    assert str(raised.value) == problem


def test_base64_data_is_decoded_then_extracted() -> None:
    assert certificates_from_base64(base64.b64encode(CA_PEM).decode()).pem == CA_PEM
    for data, problem in [
        ("not base64!", "is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`)"),
        (
            base64.b64encode(b"text").decode(),
            "decodes to text that holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
        ),
        ("A" * (MAX_CERTIFICATE_DATA + 4), "is longer than 64 KiB: give the API server's CA certificate(s) only"),
    ]:
        with pytest.raises(CertificateError) as raised:
            certificates_from_base64(data)
        assert str(raised.value) == problem


def test_the_pem_split_counts_only_lines_with_content() -> None:
    text = split_pem(b"\n  \r\n" + CA_PEM + b"\n\t\n" + CA_PEM + b"trailing words\n")
    assert [block.label for block in text.blocks] == ["CERTIFICATE", "CERTIFICATE"]
    assert text.other_lines == 1


@pytest.mark.parametrize(
    ("pem", "problem"),
    [
        (CA_PEM, None),
        # Shape only: a truncated certificate (as the examples' outputs hold) is still a DER SEQUENCE.
        (pem_block("CERTIFICATE", DER[:40]), None),
        (
            pem_block("CERTIFICATE", b"\x31" + DER[1:]),
            "PEM block 1 does not hold a DER SEQUENCE (the outer structure of a certificate)",
        ),
        (CA_PEM + pem_block("PRIVATE KEY", DER), "PEM block 2 is a PRIVATE KEY, not a CERTIFICATE"),
        (CA_PEM + b"AWS_SECRET_ACCESS_KEY=x\n", "holds 1 line of text outside its PEM blocks"),
        (b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n", "PEM block 1 is not valid base64"),
        (b"", "holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)"),
    ],
    ids=["certificate", "truncated-sequence", "not-a-sequence", "key-beside", "text-beside", "bad-base64", "empty"],
)
def test_the_shape_check_of_output_data(pem: bytes, problem: str | None) -> None:
    assert certificate_shape_problem(pem) == problem

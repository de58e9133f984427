"""A self-managed cluster: known from its endpoint and CA, both checked when it is built."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from constructs_lib.certificates import MAX_CERTIFICATE_DATA
from constructs_lib.cluster.kubernetes_cluster import ClusterType, cluster_output
from constructs_lib.cluster.self_managed import SelfManagedCluster
from constructs_lib.props_error import PropsError

CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
CA_DATA = base64.b64encode(CA_PEM).decode()
ENDPOINT = "https://k8s.acme.internal:6443"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def pem_block(label: str, body: bytes) -> bytes:
    return f"-----BEGIN {label}-----\n".encode() + base64.encodebytes(body) + f"-----END {label}-----\n".encode()


def der_body() -> bytes:
    """The DER of the fixture certificate."""
    return base64.b64decode(b"".join(CA_PEM.splitlines()[1:-1]))


def test_its_cluster_output_has_no_region() -> None:
    cluster = SelfManagedCluster(cluster_name="onprem", endpoint=ENDPOINT, certificate_authority_data=CA_DATA)
    assert cluster.cluster_type is ClusterType.KUBERNETES
    assert cluster_output(cluster) == {
        "name": "onprem",
        "type": "kubernetes",
        "region_or_location": None,
        "endpoint": ENDPOINT,
        "certificate_authority_data": CA_DATA,
    }


def test_a_bundle_of_certificates_is_accepted() -> None:
    bundle = b64(CA_PEM + b"\n" + CA_PEM.replace(b"\n", b"\r\n"))
    assert SelfManagedCluster(cluster_name="c", endpoint=ENDPOINT, certificate_authority_data=bundle)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not base64!", "is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`)"),
        (
            b64(b"just text\n"),
            "decodes to text that holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
        ),
        (
            b64(CA_PEM + pem_block("PRIVATE KEY", b"\x30\x03\x02\x01\x00")),
            "decodes to text that PEM block 2 is a PRIVATE KEY, not a CERTIFICATE",
        ),
        (
            b64(b"-----BEGIN CERTIFICATE-----\nno*base64\n-----END CERTIFICATE-----\n"),
            "decodes to text that PEM block 1 is not valid base64",
        ),
        (
            b64(pem_block("CERTIFICATE", b"hello")),
            "decodes to text that PEM block 1 does not hold a DER-encoded certificate",
        ),
        (
            b64(pem_block("CERTIFICATE", der_body()[:-1])),
            "decodes to text that PEM block 1 does not hold a DER-encoded certificate",
        ),
        ("A" * (MAX_CERTIFICATE_DATA + 4), "is longer than 64 KiB: give the API server's CA certificate(s) only"),
    ],
    ids=["not-base64", "not-pem", "private-key", "bad-base64-body", "not-der", "truncated-der", "too-long"],
)
def test_a_bad_certificate_authority_is_refused(data: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        SelfManagedCluster(cluster_name="c", endpoint=ENDPOINT, certificate_authority_data=data)
    assert str(raised.value) == f"certificate_authority_data {message}"


@pytest.mark.parametrize(
    ("endpoint", "problem"),
    [
        ("http://k8s.acme.internal:6443", "must be an https:// URL with a host"),
        ("https://", "must be an https:// URL with a host"),
        ("https://k8s.acme.internal:port", "is not a URL (Port could not be cast to integer value as 'port')"),
        (
            "https://k8s.acme.internal@127.0.0.1",
            "must hold no user name or password before the host ('…@'): clients would connect to '127.0.0.1', the "
            "part after the '@'",
        ),
        ("https://k8s.acme.internal/?x=1", "must hold no query ('?…') or fragment ('#…')"),
        ("https://k8s.acme.internal /", "must hold no spaces or control characters"),
    ],
)
def test_a_bad_endpoint_is_refused(endpoint: str, problem: str) -> None:
    with pytest.raises(ValueError) as raised:
        SelfManagedCluster(cluster_name="c", endpoint=endpoint, certificate_authority_data=CA_DATA)
    assert str(raised.value) == f"endpoint {endpoint!r} {problem}; e.g. 'https://k8s.example.com:6443'"


def test_the_certificates_are_kept_re_encoded_from_their_der() -> None:
    crlf = CA_PEM.replace(b"\n", b"\r\n")
    cluster = SelfManagedCluster(cluster_name="c", endpoint=ENDPOINT, certificate_authority_data=b64(crlf))
    assert cluster.certificate_authority_data == CA_DATA
    assert cluster_output(cluster)["certificate_authority_data"] == CA_DATA


def test_a_secret_beside_the_certificate_is_refused_and_not_echoed() -> None:
    data = b64(CA_PEM + b"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n")
    with pytest.raises(ValueError) as raised:
        SelfManagedCluster(cluster_name="c", endpoint=ENDPOINT, certificate_authority_data=data)
    assert (
        str(raised.value)
        == "certificate_authority_data decodes to text that holds 1 line of text outside its PEM blocks"
    )
    assert "wJalrXUtnFEMI" not in str(raised.value)


def test_a_bad_endpoint_and_a_bad_certificate_authority_are_both_named() -> None:
    with pytest.raises(PropsError) as raised:
        SelfManagedCluster(cluster_name="c", endpoint="https://k8s@127.0.0.1", certificate_authority_data="x!")
    assert [(problem.field, str(problem)) for problem in raised.value.problems] == [
        (
            "endpoint",
            "endpoint 'https://k8s@127.0.0.1' must hold no user name or password before the host ('…@'): clients "
            "would connect to '127.0.0.1', the part after the '@'; e.g. 'https://k8s.example.com:6443'",
        ),
        (
            "certificate_authority_data",
            "certificate_authority_data is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`)",
        ),
    ]

"""GenericOidcClientProps (constructs_lib/idp/generic_oidc_props.py): the `oidc` IdP type's refusals, each
with the value and the fix, every one at once; and the issuer's CA, certificates only."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.idp.generic_oidc_props import GenericOidcClientProps
from constructs_lib.oidc import OidcClientType
from constructs_lib.props_error import PropsError

CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
KEY_BLOCK = b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n"
ISSUER = "https://sso.acme.internal/realms/eng"


def props(**overrides: Any) -> GenericOidcClientProps:
    return GenericOidcClientProps(
        **{"name": "sso", "prefix": "sso:", "issuer_url": ISSUER, "client_id": "kubernetes", **overrides}
    )


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"issuer_url": ""},
            "issuer_url '' must be an https:// URL with a host; copy the `issuer` of the IdP's discovery document "
            "exactly",
        ),
        (
            {"issuer_url": "http://sso.acme.internal/realms/eng"},
            "issuer_url 'http://sso.acme.internal/realms/eng' must be an https:// URL with a host; copy the `issuer` "
            "of the IdP's discovery document exactly",
        ),
        ({"client_id": ""}, "client_id must be non-empty without whitespace, got ''; e.g. 'kubernetes'"),
        (
            {"device_code": True},
            "device_code is not available for an `oidc` IdP: its client is made by hand, so k8s-oidc can't tell "
            "whether it allows the device authorization grant (a phishable flow it opens only where it makes the app "
            "itself); leave it false (engineers on remote shells forward kubelogin's ports over SSH)",
        ),
        (
            {"client_type": OidcClientType.CONFIDENTIAL_WEB},
            "client_type CONFIDENTIAL_WEB is not available for an `oidc` IdP: it offers kubelogin's public client "
            "only; use PUBLIC_NATIVE (the default)",
        ),
        (
            {"certificate_authority_data": "not base64!"},
            "certificate_authority_data is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`); give the "
            "issuer's CA certificate(s), e.g. the output of `base64 -w0 sso-ca.pem`",
        ),
        (
            {"certificate_authority_data": b64(KEY_BLOCK)},
            "certificate_authority_data decodes to text that PEM block 1 is a PRIVATE KEY, not a CERTIFICATE; give "
            "the issuer's CA certificate(s), e.g. the output of `base64 -w0 sso-ca.pem`",
        ),
        (
            {"certificate_authority_data": b64(CA_PEM + KEY_BLOCK + b"AWS_SECRET_ACCESS_KEY=abc\n")},
            "certificate_authority_data decodes to text that PEM block 2 is a PRIVATE KEY, not a CERTIFICATE and holds "
            "1 line of text outside its PEM blocks; give the issuer's CA certificate(s) only",
        ),
    ],
    ids=[
        "empty-issuer",
        "http-issuer",
        "empty-client",
        "device-code",
        "web-client",
        "not-base64",
        "key-only",
        "beside",
    ],
)
def test_props_refuse_with_the_value_and_the_fix(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(PropsError) as error:
        props(**overrides)
    assert str(error.value) == message


def test_the_issuer_is_required() -> None:
    # The field inherits the base props' default None: the check, not the dataclass, requires it.
    with pytest.raises(PropsError) as error:
        GenericOidcClientProps(name="sso", prefix="sso:", client_id="kubernetes")
    assert error.value.field == "issuer_url"
    assert str(error.value) == (
        "issuer_url is required for an `oidc` IdP (it has no issuer of its own): the `issuer` of its discovery "
        "document, e.g. 'https://sso.example.com/realms/eng'"
    )


def test_a_secret_beside_the_certificate_is_never_in_the_message() -> None:
    with pytest.raises(PropsError) as error:
        props(certificate_authority_data=b64(CA_PEM + b"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\n"))
    assert "wJalrXUtnFEMI" not in str(error.value)


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        props(device_code=True, prefix="system:", issuer_url="https://sso@127.0.0.1/", client_id="a b")
    assert [problem.field for problem in raised.value.problems] == ["device_code", "prefix", "issuer_url", "client_id"]


def test_the_ca_is_kept_as_its_certificates_reencoded() -> None:
    """Whatever formatting the given PEM has (CRLF line ends, other line lengths), only the certificates,
    each re-encoded from its DER, are kept."""
    crlf = CA_PEM.replace(b"\n", b"\r\n")
    accepted = props(certificate_authority_data=b64(crlf))
    assert accepted.certificate_authority_data == b64(CA_PEM)
    assert props().certificate_authority_data is None


def test_a_ca_token_is_left_to_terraform() -> None:
    token = "${TfToken[TOKEN.3]}"
    assert props(certificate_authority_data=token).certificate_authority_data == token

"""Which CAs doctor trusts: the system's store plus SSL_CERT_FILE (which OpenSSL alone would use instead)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme
from tool_support import skip_unless

from doctor.http import tls_context
from stacks.errors import UserError


def _subjects(context: ssl.SSLContext) -> list[str]:
    return [str(dict(entry[0] for entry in cert["subject"])) for cert in context.get_ca_certs()]


def test_ssl_cert_file_adds_to_the_system_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system_file = Path(ssl.get_default_verify_paths().openssl_cafile)
    skip_unless(system_file.is_file(), f"no system CA file at {system_file}")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    system = _subjects(tls_context())
    assert system, "the system store should hold CAs"

    ca = trustme.CA(organization_name="doctor test CA")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(ca_file)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    with_extra = _subjects(tls_context())
    assert any("doctor test CA" in subject for subject in with_extra)
    assert set(system) <= set(with_extra)


def test_an_unreadable_ssl_cert_file_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(UserError) as raised:
        tls_context()
    assert raised.value.problems[0].path == "SSL_CERT_FILE"

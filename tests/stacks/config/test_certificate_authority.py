"""A CA the config gives (stacks/config/certificate_authority.py): `certificate_authority_file` read relative to
the config file, within bounds and only as a regular file; anything but CERTIFICATE blocks left out with a
warning that names the file or key and never the content."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from config_support import CA_DATA, CA_PEM, ONPREM, kubernetes_problems, load, with_cluster

from stacks.config import KubernetesClusterConfig, parse_config

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def test_the_ca_file_is_read_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "ca.crt").write_bytes(CA_PEM)
    onprem = {**ONPREM, "certificate_authority_data": None, "certificate_authority_file": "pki/ca.crt"}
    del onprem["certificate_authority_data"]
    path = tmp_path / "oidc.yaml"
    cluster = parse_config(yaml.safe_dump(with_cluster("onprem", onprem)), path).clusters["onprem"]
    assert isinstance(cluster, KubernetesClusterConfig)
    assert cluster.certificate_authority == CA_DATA
    # Read at load time: the file may go away afterwards.
    (tmp_path / "pki" / "ca.crt").unlink()
    assert cluster.cluster("onprem").certificate_authority_data == CA_DATA


def test_a_missing_ca_file_names_the_file_and_key(tmp_path: Path) -> None:
    problems = kubernetes_problems(tmp_path, certificate_authority_data=None, certificate_authority_file="pki/gone.crt")
    assert problems == {
        "clusters.onprem.certificate_authority_file": f"cannot read 'pki/gone.crt' ({tmp_path / 'pki' / 'gone.crt'}): "
        "no such file (the path is relative to the config file)"
    }


def test_a_ca_file_that_is_no_regular_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "pki").mkdir()
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would wait for a writer forever
    (tmp_path / "zero").symlink_to("/dev/zero")  # reading it would never end
    kinds = {"pki": "a folder", "fifo": "a FIFO (named pipe)", "zero": "a character device (through a symbolic link)"}
    for name, kind in kinds.items():
        problems = kubernetes_problems(tmp_path, certificate_authority_data=None, certificate_authority_file=name)
        shown = f"{name!r} ({(tmp_path / name).resolve()})"
        assert problems == {"clusters.onprem.certificate_authority_file": f"{shown}: is {kind}, not a regular file"}


def test_an_unreadable_ca_file_names_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "ca.crt").write_bytes(CA_PEM)
    # A path through a file: opening it fails (as a permission error would, which root never gets).
    problems = kubernetes_problems(tmp_path, certificate_authority_data=None, certificate_authority_file="ca.crt/x")
    assert problems == {
        "clusters.onprem.certificate_authority_file": f"'ca.crt/x' ({tmp_path / 'ca.crt' / 'x'}): cannot read: Not a "
        "directory"
    }


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not a certificate\n", "holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)"),
        (
            b"-----BEGIN RSA PRIVATE KEY-----\nMAMCAQA=\n-----END RSA PRIVATE KEY-----\n",
            "PEM block 1 is a RSA PRIVATE KEY, not a CERTIFICATE",
        ),
        (
            b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
            "PEM block 1 does not hold a DER-encoded certificate",
        ),
    ],
    ids=["text", "private-key", "not-der"],
)
def test_a_ca_file_that_is_no_pem_certificate_is_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    (tmp_path / "ca.crt").write_bytes(content)
    problems = kubernetes_problems(tmp_path, certificate_authority_data=None, certificate_authority_file="ca.crt")
    assert problems == {
        "clusters.onprem.certificate_authority_file": f"'ca.crt' ({tmp_path / 'ca.crt'}) {problem}; give the API "
        "server's PEM CA certificate"
    }


def test_a_huge_ca_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    (tmp_path / "ca.crt").write_bytes(CA_PEM * 10_000)
    problems = kubernetes_problems(tmp_path, certificate_authority_data=None, certificate_authority_file="ca.crt")
    assert problems == {
        "clusters.onprem.certificate_authority_file": f"'ca.crt' ({tmp_path / 'ca.crt'}) is larger than 48 KiB: give "
        "the API server's CA certificate(s) only"
    }


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


PRIVATE_KEY = (
    b"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
)


DROPPED = (
    "only its CERTIFICATE blocks are used, each re-encoded, and nothing else of it is embedded anywhere; remove the "
    "rest (a key or secret kept beside a CA certificate is readable by everyone who can read it)"
)


def test_a_ca_file_with_more_than_certificates_gives_only_them_and_a_warning(tmp_path: Path) -> None:
    (tmp_path / "ca.crt").write_bytes(CA_PEM + f"AWS_SECRET_ACCESS_KEY={SECRET}\n".encode() + PRIVATE_KEY)
    onprem = {key: value for key, value in ONPREM.items() if key != "certificate_authority_data"}
    config = parse_config(
        yaml.safe_dump(with_cluster("onprem", {**onprem, "certificate_authority_file": "ca.crt"})),
        tmp_path / "oidc.yaml",
    )
    cluster = config.clusters["onprem"]
    assert isinstance(cluster, KubernetesClusterConfig)
    assert cluster.certificate_authority == CA_DATA
    warnings = {warning.path: warning.message for warning in config.warnings}
    assert warnings["clusters.onprem.certificate_authority_file"] == (
        f"'ca.crt' ({tmp_path / 'ca.crt'}) holds more than certificates (PEM block 2 is a PRIVATE KEY, not a "
        f"CERTIFICATE; holds 1 line of text outside its PEM blocks): {DROPPED}"
    )
    assert SECRET not in str(config.warnings)


def test_ca_data_with_more_than_certificates_gives_only_them_and_a_warning() -> None:
    data = base64.b64encode(PRIVATE_KEY + CA_PEM).decode()
    config = load(with_cluster("onprem", {**ONPREM, "certificate_authority_data": data}))
    cluster = config.clusters["onprem"]
    assert isinstance(cluster, KubernetesClusterConfig)
    assert cluster.certificate_authority == CA_DATA
    assert cluster.cluster("onprem").certificate_authority_data == CA_DATA
    warnings = {warning.path: warning.message for warning in config.warnings}
    assert warnings["clusters.onprem.certificate_authority_data"] == (
        f"the decoded PEM holds more than certificates (PEM block 1 is a PRIVATE KEY, not a CERTIFICATE): {DROPPED}"
    )


def test_a_clean_ca_gives_no_warning() -> None:
    config = load(with_cluster("onprem", ONPREM))
    assert [warning for warning in config.warnings if "certificate_authority" in warning.path] == []


def test_validate_warns_naming_the_file_and_key_and_never_the_secret(tmp_path: Path) -> None:
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "ca.crt").write_bytes(CA_PEM + f"AWS_SECRET_ACCESS_KEY={SECRET}\n".encode())
    onprem = {key: value for key, value in ONPREM.items() if key != "certificate_authority_data"}
    config = tmp_path / "oidc.yaml"
    config.write_text(
        yaml.safe_dump(with_cluster("onprem", {**onprem, "certificate_authority_file": "pki/ca.crt"})),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "validate", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"warning: {config}: clusters.onprem.certificate_authority_file: 'pki/ca.crt' ({tmp_path / 'pki' / 'ca.crt'}) "
        "holds more than certificates (holds 1 line of text outside its PEM blocks)"
    ) in result.stderr
    assert SECRET not in result.stderr + result.stdout

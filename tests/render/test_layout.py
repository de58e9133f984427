"""Where the render puts its files and with which modes (render/layout.py): one `mode(kind, secret)` for
every file, so that a secret is never readable by anyone but its owner and a script always runs."""

from __future__ import annotations

import pytest

from render.layout import FILE_NAMES, FileKind, admin_file, all_clusters_file, all_clusters_script, mode, stack_file


@pytest.mark.parametrize("kind", FileKind)
def test_a_file_with_a_secret_is_its_owners_alone(kind: FileKind) -> None:
    assert mode(kind, secret=True) & 0o077 == 0
    assert mode(kind, secret=True) & 0o600 == 0o600


@pytest.mark.parametrize("kind", FileKind)
def test_a_file_without_one_is_readable_by_all_and_writable_by_its_owner_only(kind: FileKind) -> None:
    assert mode(kind, secret=False) & 0o644 == 0o644
    assert mode(kind, secret=False) & 0o022 == 0


@pytest.mark.parametrize("secret", [False, True])
def test_scripts_run_and_data_does_not(secret: bool) -> None:
    assert mode(FileKind.SCRIPT, secret=secret) & 0o100
    assert mode(FileKind.DATA, secret=secret) & 0o111 == 0
    # The secret modes narrow the plain ones, nothing else.
    assert mode(FileKind.SCRIPT, secret=True) == mode(FileKind.SCRIPT, secret=False) & 0o700
    assert mode(FileKind.DATA, secret=True) == mode(FileKind.DATA, secret=False) & 0o700


def test_the_paths_of_contract_5() -> None:
    assert stack_file("prod-okta", "kubeconfig.yaml") == "prod-okta/kubeconfig.yaml"
    assert all_clusters_file(all_clusters_script("okta-main")) == "all-clusters/okta-main.sh"
    assert admin_file("data", "configure-identity-service.sh") == "admin/data/configure-identity-service.sh"


def test_the_readmes_name_the_files_as_they_are_written() -> None:
    assert FILE_NAMES == {
        "developer_script": "setup-k8s-oidc.sh",
        "kubeconfig": "kubeconfig.yaml",
        "rbac": "rbac.yaml",
        "admin_script": "configure-identity-service.sh",
        "authentication_config": "authentication-config.yaml",
        "all_clusters": "all-clusters",
    }

"""The shared example outputs (DESIGN.md examples/, copied into fixtures/) rendered: both input forms
give the same tree; README, RBAC and kubeconfigs as expected (syrupy snapshots); RBAC valid for
Kubernetes 1.32; every script clean under shellcheck."""

from __future__ import annotations

import json
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from render_support import FIXTURES, Pki, run_render, shellcheck, tree_snapshot
from syrupy.assertion import SnapshotAssertion

from stacks.config.clusters.gke import IDENTITY_SERVICE_DEPRECATION

CONFIG = FIXTURES / "oidc.yaml"

EXPECTED_FILES = [
    ".k8s-oidc-render",
    "README.md",
    "admin/data/configure-identity-service.sh",
    "all-clusters/gws.md",
    "all-clusters/gws.sh",
    "all-clusters/okta-main.md",
    "all-clusters/okta-main.sh",
    "data-gws/README.md",
    "data-gws/kubeconfig.yaml",
    "data-gws/rbac.yaml",
    "data-gws/setup-k8s-oidc.sh",
    "prod-okta-main/README.md",
    "prod-okta-main/kubeconfig.yaml",
    "prod-okta-main/rbac.yaml",
    "prod-okta-main/setup-k8s-oidc.sh",
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "rendered"
    result = run_render(CONFIG, FIXTURES / "outputs.cdktf.json", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {CONFIG}: clusters.data.auth: {IDENTITY_SERVICE_DEPRECATION}",
        "warning: data: GKE server taken from the cluster output: pass --client-config for Identity Service "
        "clusters (--client-config data=FILE, FILE from `kubectl get clientconfig default -n kube-public -o json`)",
        "rendered prod-okta-main: setup-k8s-oidc.sh, kubeconfig.yaml, rbac.yaml, README.md",
        "rendered data-gws: setup-k8s-oidc.sh, kubeconfig.yaml, rbac.yaml, README.md",
        f"wrote 14 files for 2 stacks into {out} (1 warning)",
    ]
    return out


def files_of(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_the_files(rendered: Path) -> None:
    assert files_of(rendered) == EXPECTED_FILES
    modes = {name: (rendered / name).stat().st_mode & 0o777 for name in EXPECTED_FILES}
    # Files that hold the Google Workspace client secret are the owner's only.
    assert modes["data-gws/kubeconfig.yaml"] == 0o600
    assert modes["data-gws/setup-k8s-oidc.sh"] == 0o700
    assert modes["admin/data/configure-identity-service.sh"] == 0o700
    assert modes["prod-okta-main/setup-k8s-oidc.sh"] & 0o111


def test_every_file_that_holds_the_client_secret_is_its_owners_only(rendered: Path) -> None:
    """Contract 5: a Google Workspace pair's files and the all-clusters script that includes one are
    0700 (scripts) or 0600; every other file is readable by all."""
    secret = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))["data-gws"]["oidc_client_secret"]
    holding = {name for name in EXPECTED_FILES if secret in (rendered / name).read_text(encoding="utf-8")}
    assert holding == {
        "data-gws/kubeconfig.yaml",
        "data-gws/setup-k8s-oidc.sh",
        "all-clusters/gws.sh",
        "admin/data/configure-identity-service.sh",
    }
    for name in EXPECTED_FILES:
        mode = (rendered / name).stat().st_mode & 0o777
        executable = name.endswith(".sh")
        if name in holding:
            assert mode == (0o700 if executable else 0o600), (name, oct(mode))
        else:
            assert mode == (0o755 if executable else 0o644), (name, oct(mode))


def test_terraform_output_folder_renders_the_same(rendered: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = run_render(CONFIG, FIXTURES / "terraform-output", out)
    assert result.returncode == 0, result.stderr
    assert tree_snapshot(out) == tree_snapshot(rendered)


@pytest.mark.parametrize("name", ["README.md", "prod-okta-main/rbac.yaml", "data-gws/rbac.yaml"])
def test_expected_text(rendered: Path, name: str, snapshot: SnapshotAssertion) -> None:
    assert (rendered / name).read_text(encoding="utf-8") == snapshot


@pytest.mark.parametrize("stack", ["prod-okta-main", "data-gws"])
def test_kubeconfig(rendered: Path, stack: str, snapshot: SnapshotAssertion) -> None:
    text = (rendered / stack / "kubeconfig.yaml").read_text(encoding="utf-8")
    assert text == snapshot
    example = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))[stack]
    config = yaml.safe_load(text)
    assert config["clusters"][0]["cluster"] == {
        "server": example["cluster"]["endpoint"],
        "certificate-authority-data": example["cluster"]["certificate_authority_data"],
    }


@pytest.mark.parametrize("stack", ["prod-okta-main", "data-gws"])
def test_rbac_is_valid_kubernetes(rendered: Path, stack: str) -> None:
    documents = list(yaml.safe_load_all((rendered / stack / "rbac.yaml").read_text(encoding="utf-8")))
    assert documents
    for document in documents:
        kubernetes_validate.validate(document, "1.32", strict=True)
        assert document["roleRef"]["apiGroup"] == document["subjects"][0]["apiGroup"] == "rbac.authorization.k8s.io"


def test_rbac_subjects_and_names(rendered: Path) -> None:
    bindings = list(yaml.safe_load_all((rendered / "prod-okta-main" / "rbac.yaml").read_text(encoding="utf-8")))
    assert [(b["kind"], b["metadata"].get("namespace"), b["subjects"][0]["name"]) for b in bindings] == [
        ("ClusterRoleBinding", None, "okta:k8s-admins"),
        ("RoleBinding", "team-a", "okta:k8s-developers"),
    ]
    names = [binding["metadata"]["name"] for binding in bindings]
    assert names[0].startswith("k8s-oidc-okta-main-cluster-admin-") and len(names[0].rsplit("-", 1)[1]) == 8
    assert len(set(names)) == len(names)


def test_scripts_pass_shellcheck(rendered: Path) -> None:
    scripts = sorted(rendered.rglob("*.sh"))
    assert len(scripts) == 5
    for script in scripts:
        result = shellcheck(script)
        assert result.returncode == 0, result.stdout


def test_a_previous_render_is_replaced_whole(rendered: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    assert run_render(CONFIG, FIXTURES / "outputs.cdktf.json", out).returncode == 0
    (out / "stale-stack").mkdir()
    (out / "stale-stack" / "setup-k8s-oidc.sh").write_text("old", encoding="utf-8")
    (out / "README.md").write_text("old", encoding="utf-8")
    inputs_before = sorted(path.name for path in tmp_path.iterdir())

    result = run_render(CONFIG, FIXTURES / "outputs.cdktf.json", out)
    assert result.returncode == 0, result.stderr
    assert tree_snapshot(out) == tree_snapshot(rendered)
    assert sorted(path.name for path in tmp_path.iterdir()) == inputs_before, "no temporary folder is left"


def test_an_empty_out_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    out.mkdir()
    assert run_render(CONFIG, FIXTURES / "outputs.cdktf.json", out).returncode == 0
    assert files_of(out) == EXPECTED_FILES


def test_client_config_gives_the_gke_server_and_ca(rendered: Path, pki: Pki, tmp_path: Path) -> None:
    ca_data = pki.ca_data  # a CA other than the cluster output's
    client_config = tmp_path / "data-clientconfig.json"
    client_config.write_text(
        json.dumps(
            {
                "apiVersion": "authentication.gke.io/v2alpha1",
                "kind": "ClientConfig",
                "metadata": {"name": "default", "namespace": "kube-public"},
                "spec": {"name": "data-cluster", "server": "https://35.1.2.3:443", "certificateAuthorityData": ca_data},
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "rendered"
    result = run_render(CONFIG, FIXTURES / "outputs.cdktf.json", out, "--client-config", f"data={client_config}")
    assert result.returncode == 0, result.stderr
    assert "GKE server taken from the cluster output" not in result.stderr
    cluster = yaml.safe_load((out / "data-gws" / "kubeconfig.yaml").read_text(encoding="utf-8"))["clusters"][0]
    assert cluster["cluster"] == {"server": "https://35.1.2.3:443", "certificate-authority-data": ca_data}
    assert f"`https://35.1.2.3:443` (from `{client_config}`)" in (out / "README.md").read_text(encoding="utf-8")
    assert (out / "prod-okta-main" / "kubeconfig.yaml").read_bytes() == (
        rendered / "prod-okta-main" / "kubeconfig.yaml"
    ).read_bytes()


def test_a_symlinked_out_folder_is_replaced_where_it_points(rendered: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(real.name)
    assert run_render(CONFIG, FIXTURES / "outputs.cdktf.json", link).returncode == 0
    assert run_render(CONFIG, FIXTURES / "outputs.cdktf.json", link).returncode == 0
    assert link.is_symlink()
    assert tree_snapshot(real) == tree_snapshot(rendered)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link", "real"]

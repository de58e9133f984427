"""AKS clusters in the render step (contract 5): the admins' `admin/<cluster>/README.md` (the preview feature,
the version floor, the issuers' reachability from the nodes, `aks:jwt:` subjects, the Entra ID path, the RBAC
to apply), RBAC subjects under `aks:jwt:`, and the developer script and kubeconfig through shellcheck and real
kubectl against a local HTTPS server — with kubelogin told the private CA of an `oidc` IdP's issuer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from render_support import (
    OKTA_SCOPES,
    ApiServer,
    Pki,
    Tools,
    cluster_output,
    kubeconfig_view,
    kubectl,
    named,
    oidc_config,
    run_render,
    run_script,
    shellcheck,
    token_for,
    write_json,
)

from constructs_lib.cluster.aks_claim_mappings import aks_subject

SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
SSO_ISSUER = "https://sso.acme.internal/realms/eng"
CONFIG = f"""\
version: 1
identity_providers:
  okta-main: {{type: okta, prefix: "okta:"}}
  sso: {{type: oidc, prefix: "sso:", issuer_url: "{SSO_ISSUER}", client_id: kubernetes}}
  jc: {{type: jumpcloud, prefix: "jc:", client_id: jc-app}}
clusters:
  apps:
    type: aks
    subscription_id: {SUBSCRIPTION}
    resource_group: rg-apps
    cluster_name: apps-aks
    identity_providers: [okta-main, sso, jc]
  small:
    type: aks
    subscription_id: {SUBSCRIPTION}
    resource_group: rg-small
    cluster_name: small-aks
    identity_providers: [jc]
access:
  - {{identity_provider: okta-main, group: k8s-admins, cluster_role: cluster-admin}}
  - {{identity_provider: sso, user: jane@example.com, cluster_role: view, clusters: [apps]}}
  - {{identity_provider: sso, group: devs, cluster_role: edit, clusters: [apps], namespace: team-a}}
"""
STACKS = ("apps-okta-main", "apps-sso", "apps-jc", "small-jc")


def outputs_of(server: str, pki: Pki) -> dict[str, dict[str, Any]]:
    """The pair stacks' outputs as their deploy would write them: the `cluster` output from Azure's
    kubeconfig (here the local API server), `oidc_config` with the issuer's CA for `sso` only."""
    oidc = {
        "okta-main": oidc_config(
            client_id="0oa-apps", issuer_url="https://acme.okta.com/oauth2/aus-apps", prefix="okta:", scopes=OKTA_SCOPES
        ),
        "sso": oidc_config(
            client_id="kubernetes",
            issuer_url=SSO_ISSUER,
            prefix="sso:",
            scopes=["openid", "profile", "email"],
            certificate_authority_data=pki.ca_data,
        ),
        "jc": oidc_config(
            client_id="jc-app", issuer_url="https://oauth.id.jumpcloud.com/", prefix="jc:", scopes=OKTA_SCOPES[:3]
        ),
    }
    return {
        stack: {
            "oidc_config": oidc[stack.split("-", 1)[1]],
            "cluster": cluster_output(
                name=f"{stack.split('-')[0]}-aks",
                type="aks",
                location="westeurope",
                endpoint=f"{server}/{stack.split('-')[0]}",
                ca_data=pki.ca_data,
            ),
        }
        for stack in STACKS
    }


@dataclass(frozen=True)
class Rendered:
    out: Path
    outputs: dict[str, dict[str, Any]]

    def text(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("aks")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs = outputs_of(server.url, pki)
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return Rendered(folder / "out", outputs)


# --- RBAC ----------------------------------------------------------------------------------------


def test_rbac_subjects_carry_the_aks_prefix_before_the_idps(rendered: Rendered) -> None:
    subjects = {
        stack: [
            (document["kind"], document["subjects"][0]["kind"], document["subjects"][0]["name"])
            for document in yaml.safe_load_all(rendered.text(f"{stack}/rbac.yaml"))
        ]
        for stack in ("apps-okta-main", "apps-sso")
    }
    assert subjects == {
        "apps-okta-main": [("ClusterRoleBinding", "Group", "aks:jwt:okta:k8s-admins")],
        "apps-sso": [
            ("ClusterRoleBinding", "User", "aks:jwt:sso:jane@example.com"),
            ("RoleBinding", "Group", "aks:jwt:sso:devs"),
        ],
    }
    # The same names the authenticators' CEL mappings produce (constructs_lib's rule).
    assert subjects["apps-sso"][0][2] == aks_subject("sso:", "jane@example.com")
    assert not (rendered.out / "apps-jc" / "rbac.yaml").exists()  # no access rule for jc


def test_the_guides_name_users_and_groups_as_aks_sees_them(rendered: Rendered) -> None:
    page = rendered.text("all-clusters/sso.md")
    assert "Kubernetes knows you as `aks:jwt:sso:` followed by your `email` claim" in page
    assert "Kubernetes then knows you as `aks:jwt:sso:` followed by your\n`email`" in rendered.text(
        "apps-sso/README.md"
    )
    (binding,) = yaml.safe_load_all(rendered.text("apps-okta-main/rbac.yaml"))
    assert binding["subjects"][0]["name"] == "aks:jwt:okta:k8s-admins"


# --- the admins' README --------------------------------------------------------------------------


def test_the_admin_readme_says_what_the_authenticators_need(rendered: Rendered) -> None:
    readme = rendered.text("admin/apps/README.md")
    for fact in (
        "preview",
        "without the service level\nagreement",
        f"az feature register --namespace Microsoft.ContainerService --name JWTAuthenticatorPreview --subscription "
        f"{SUBSCRIPTION}",
        f"az provider register --namespace Microsoft.ContainerService --subscription {SUBSCRIPTION}",
        "## 2. Kubernetes 1.30 or later",
        "az aks show --resource-group rg-apps --name apps-aks --query kubernetesVersion",
        "## 3. The nodes must reach each issuer",
        "`certificateAuthorityBundle`",
        "## 4. Every user and group carries `aks:jwt:`",
        "az aks get-credentials --resource-group rg-apps --name apps-aks",
        "az aks jwtauthenticator list --resource-group rg-apps --cluster-name apps-aks --output table",
        "`2026-06-02-preview`",
    ):
        assert fact in readme, fact
    # One row per authenticator, under the name AKS knows it by, with the subjects as AKS maps them.
    assert (
        f"| `sso` | `apps-sso` | `sso` | `{SSO_ISSUER}` | `kubernetes` | `aks:jwt:sso:` + claim `email` | "
        "`aks:jwt:sso:` + each group of claim `groups` |"
    ) in readme
    assert "| `okta-main` | `apps-okta-main` | `oktamain` |" in readme


def test_the_admin_readme_lists_the_rbac_to_apply(rendered: Rendered) -> None:
    folder = rendered.out / "admin" / "apps"
    readme = rendered.text("admin/apps/README.md")
    applied = re.findall(r"`(\.\./\.\./[^`]+/rbac\.yaml)`", readme)
    assert applied == ["../../apps-okta-main/rbac.yaml", "../../apps-sso/rbac.yaml"]
    for path in applied:
        assert (folder / path).is_file(), path
    assert "`jc`: no `access:` rule of the config applies" in readme


def test_every_aks_cluster_gets_its_readme_and_nothing_else(rendered: Rendered) -> None:
    admin = sorted(
        str(path.relative_to(rendered.out)) for path in (rendered.out / "admin").rglob("*") if path.is_file()
    )
    assert admin == ["admin/apps/README.md", "admin/small/README.md"]
    assert (rendered.out / "admin" / "apps" / "README.md").stat().st_mode & 0o777 == 0o644


def test_the_top_readme_sends_aks_admins_to_their_readme(rendered: Rendered) -> None:
    readme = rendered.text("README.md")
    assert "| `admin/<cluster>/README.md` | cluster admins (AKS) |" in readme
    assert (
        "| `apps` | register the structured authentication preview and check the Kubernetes version, as "
        "`admin/apps/README.md` says, before the pair stacks are applied |"
    ) in readme
    assert "self-managed" not in readme


# --- developers: kubeconfig and script through real kubectl ----------------------------------------


def exec_args(rendered: Rendered, stack: str) -> list[str]:
    kubeconfig = yaml.safe_load(rendered.text(f"{stack}/kubeconfig.yaml"))
    (user,) = kubeconfig["users"]
    return user["user"]["exec"]["args"]  # type: ignore[no-any-return]


def test_kubelogin_gets_the_private_ca_of_the_issuer_where_there_is_one(rendered: Rendered, pki: Pki) -> None:
    assert exec_args(rendered, "apps-sso") == [
        "get-token",
        f"--oidc-issuer-url={SSO_ISSUER}",
        "--oidc-client-id=kubernetes",
        "--oidc-extra-scope=profile",
        "--oidc-extra-scope=email",
        f"--certificate-authority-data={pki.ca_data}",
        "--oidc-pkce-method=S256",
    ]
    for stack in ("apps-okta-main", "apps-jc"):
        assert not any(arg.startswith("--certificate-authority-data") for arg in exec_args(rendered, stack))


def test_the_setup_scripts_pass_shellcheck(rendered: Rendered) -> None:
    for script in [
        *(rendered.out / stack / "setup-k8s-oidc.sh" for stack in STACKS),
        rendered.out / "all-clusters" / "sso.sh",
    ]:
        result = shellcheck(script)
        assert result.returncode == 0, result.stdout


def test_the_developer_script_reaches_the_aks_cluster(
    rendered: Rendered, api: ApiServer, pki: Pki, tools: Tools, tmp_path: Path
) -> None:
    api.tokens["/apps"] = {token_for("kubernetes")}
    tools.add_kubelogin()
    home = tmp_path / "home"
    home.mkdir()
    env = tools.env(home, tmp_path / "kubeconfig")
    result = run_script(rendered.out / "apps-sso" / "setup-k8s-oidc.sh", env=env)
    assert result.returncode == 0, result.stderr
    version = kubectl("--context", "apps-sso", "version", "-o", "json", env=env)
    assert version.returncode == 0, version.stderr
    view = kubeconfig_view(env)
    assert view["current-context"] == "apps-sso"
    # Server and CA from the stack's `cluster` output (Azure's), the issuer's CA for kubelogin.
    assert named(view["clusters"], "apps-sso")["cluster"] == {
        "server": f"{api.url}/apps",
        "certificate-authority-data": pki.ca_data,
    }
    args = tools.record_of("kubelogin")[-1]
    assert f"--certificate-authority-data={pki.ca_data}" in args
    help_text = run_script(rendered.out / "apps-sso" / "setup-k8s-oidc.sh", "--help", env=env).stdout
    assert f"AKS cluster apps-aks (westeurope) at {api.url}/apps" in help_text


def test_the_standalone_kubeconfig_of_a_one_idp_aks_cluster(
    rendered: Rendered, api: ApiServer, tools: Tools, tmp_path: Path
) -> None:
    api.tokens["/small"] = {token_for("jc-app")}
    tools.add_kubelogin()
    env = tools.env(tmp_path, rendered.out / "small-jc" / "kubeconfig.yaml")
    result = kubectl("version", "-o", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(rendered.text("small-jc/kubeconfig.yaml"))["current-context"] == "small"

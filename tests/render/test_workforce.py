"""Workforce identity pairs (DESIGN.md 4b): the developer script signs in with gcloud, fetches the
cluster's credentials into its own file, renames the context and merges it; RBAC names pool
principals; no admin script. gcloud and gke-gcloud-auth-plugin are stand-ins; kubectl is real."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
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
    write_executable,
    write_json,
)

CONFIG = """\
version: 1
google_workforce_pool: {organization_id: "123456789012", pool_id: acme-pool}
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
clusters:
  alpha: {type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}
  wf:
    type: gke
    auth: workforce_identity
    project: acme-wf
    location: us-west1
    cluster_name: wf-cluster
    identity_providers: [okta-main]
access:
  - {identity_provider: okta-main, group: k8s-admins, cluster_role: cluster-admin}
  - {identity_provider: okta-main, user: jane@example.com, cluster_role: view, clusters: [wf]}
"""
POOL = "iam.googleapis.com/locations/global/workforcePools/acme-pool"
GCLOUD_CONTEXT = "gke_acme-wf_us-west1_wf-cluster"
PLUGIN_TOKEN = "token-from-gke-gcloud-auth-plugin"

GCLOUD_EFFECT = """
import os
if args[:3] == ["iam", "workforce-pools", "create-login-config"]:
    pathlib.Path(args[-1].removeprefix("--output-file=")).write_text("{{}}")
elif args[:2] == ["auth", "login"]:
    sys.exit(0 if pathlib.Path(args[-1].removeprefix("--login-config=")).is_file() else 3)
elif args[:3] == ["container", "clusters", "get-credentials"]:
    name, location, project = args[3], args[args.index("--location") + 1], args[args.index("--project") + 1]
    entry = f"gke_{{project}}_{{location}}_{{name}}"
    path = pathlib.Path(os.environ["KUBECONFIG"].split(":")[0])
    config = json.loads(path.read_text()) if path.exists() and path.read_text() else {{
        "apiVersion": "v1", "kind": "Config", "clusters": [], "users": [], "contexts": []}}
    cluster = {{"server": {server!r}, "certificate-authority-data": {ca!r}}}
    config["clusters"].append({{"name": entry, "cluster": cluster}})
    config["users"].append({{"name": entry, "user": {{"exec": {{
        "apiVersion": "client.authentication.k8s.io/v1beta1", "command": "gke-gcloud-auth-plugin",
        "provideClusterInfo": True, "interactiveMode": "IfAvailable"}}}}}})
    config["contexts"].append({{"name": entry, "context": {{"cluster": entry, "user": entry}}}})
    config["current-context"] = entry
    path.write_text(json.dumps(config))
"""
"""gcloud as far as the script uses it: the login config, the sign-in, get-credentials (which writes the
entries gcloud writes, into the first file of $KUBECONFIG, and makes the cluster current)."""

PLUGIN = "#!/bin/sh\nprintf '%s' '{}'\n".format(
    json.dumps(
        {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "kind": "ExecCredential",
            "status": {"token": PLUGIN_TOKEN},
        }
    )
)


@dataclass(frozen=True)
class Rendered:
    out: Path
    server: str


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("workforce")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs: dict[str, Any] = {
        "alpha-okta-main": {
            "oidc_config": oidc_config(
                client_id="0oa-alpha", issuer_url="https://acme.okta.com/oauth2/x", prefix="okta:", scopes=OKTA_SCOPES
            ),
            "cluster": cluster_output(
                name="Alpha", type="eks", location="us-west-2", endpoint=f"{server.url}/alpha", ca_data=pki.ca_data
            ),
        },
        "wf-okta-main": {
            "cluster": cluster_output(
                name="wf-cluster", type="gke", location="us-west1", endpoint=f"{server.url}/wf", ca_data=pki.ca_data
            ),
            "workforce": {
                "pool": "acme-pool",
                "provider": "okta-main",
                "project": "acme-wf",
                "location": "us-west1",
                "cluster_name": "wf-cluster",
            },
        },
        "workforce-pool": {"pool_name": "locations/global/workforcePools/acme-pool"},
    }
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr  # a workforce cluster needs no ClientConfig
    return Rendered(folder / "out", server.url)


@pytest.fixture
def env(rendered: Rendered, api: ApiServer, pki: Pki, tools: Tools, tmp_path: Path) -> dict[str, str]:
    tools.add_recorder("gcloud", GCLOUD_EFFECT.format(server=f"{rendered.server}/wf", ca=pki.ca_data))
    write_executable(tools.bin / "gke-gcloud-auth-plugin", PLUGIN)
    tools.add_kubelogin()
    api.tokens["/wf"] = {PLUGIN_TOKEN}
    api.tokens["/alpha"] = {token_for("0oa-alpha")}
    home = tmp_path / "home"
    home.mkdir()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "other", "cluster": {"server": "https://other.invalid"}}],
                "users": [{"name": "other", "user": {"token": "t"}}],
                "contexts": [{"name": "other", "context": {"cluster": "other", "user": "other"}}],
                "current-context": "other",
            }
        ),
        encoding="utf-8",
    )
    return tools.env(home, kubeconfig)


def test_files_and_rbac(rendered: Rendered) -> None:
    assert not (rendered.out / "admin").exists()
    assert sorted(path.name for path in (rendered.out / "wf-okta-main").iterdir()) == [
        "kubeconfig.yaml",
        "rbac.yaml",
        "setup-k8s-oidc.sh",
    ]
    bindings = list(yaml.safe_load_all((rendered.out / "wf-okta-main" / "rbac.yaml").read_text(encoding="utf-8")))
    assert [binding["subjects"][0] for binding in bindings] == [
        {"kind": "Group", "name": f"principalSet://{POOL}/group/k8s-admins", "apiGroup": "rbac.authorization.k8s.io"},
        {
            "kind": "User",
            "name": f"principal://{POOL}/subject/jane@example.com",
            "apiGroup": "rbac.authorization.k8s.io",
        },
    ]
    for binding in bindings:
        kubernetes_validate.validate(binding, "1.32", strict=True)
    readme = (rendered.out / "README.md").read_text(encoding="utf-8")
    assert f"`principal://{POOL}/subject/`" in readme


def test_script_signs_in_with_gcloud_and_adds_the_renamed_context(
    rendered: Rendered, tools: Tools, env: dict[str, str]
) -> None:
    script = rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh"
    result = run_script(script, env=env)
    assert result.returncode == 0, result.stderr
    calls = tools.record_of("gcloud")
    assert calls[0][:4] == [
        "iam",
        "workforce-pools",
        "create-login-config",
        "locations/global/workforcePools/acme-pool/providers/okta-main",
    ]
    assert calls[1][:2] == ["auth", "login"]
    assert calls[2] == [
        "container",
        "clusters",
        "get-credentials",
        "wf-cluster",
        "--location",
        "us-west1",
        "--project",
        "acme-wf",
    ]

    view = kubeconfig_view(env)
    assert view["current-context"] == "wf"
    assert named(view["contexts"], "wf")["context"] == {"cluster": GCLOUD_CONTEXT, "user": GCLOUD_CONTEXT}
    assert [context["name"] for context in view["contexts"]] == ["other", "wf"]
    version = kubectl("--context", "wf", "version", "-o", "json", env=env)
    assert version.returncode == 0, version.stderr

    kubeconfig = Path(env["KUBECONFIG"])
    first = kubeconfig.read_bytes()
    again = run_script(script, "--skip-login", env=env)
    assert again.returncode == 0, again.stderr
    assert kubeconfig.read_bytes() == first
    assert [call[:2] for call in tools.record_of("gcloud")[3:]] == [["container", "clusters"]]


def test_all_clusters_script_mixes_kubelogin_and_gcloud(rendered: Rendered, tools: Tools, env: dict[str, str]) -> None:
    result = run_script(rendered.out / "all-clusters" / "okta-main.sh", env=env)
    assert result.returncode == 0, result.stderr
    view = kubeconfig_view(env)
    assert view["current-context"] == "other"
    assert sorted(context["name"] for context in view["contexts"]) == ["alpha", "other", "wf"]
    for context in ("alpha", "wf"):
        version = kubectl("--context", context, "version", "-o", "json", env=env)
        assert version.returncode == 0, version.stderr


def test_dry_run_prints_the_gcloud_commands(rendered: Rendered, tools: Tools, env: dict[str, str]) -> None:
    before = Path(env["KUBECONFIG"]).read_bytes()
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert Path(env["KUBECONFIG"]).read_bytes() == before
    assert tools.record_of("gcloud") == []
    assert (
        "  KUBECONFIG=K8S_OIDC_TMP/gcloud gcloud container clusters get-credentials wf-cluster --location us-west1 "
        "--project acme-wf\n"
        f"  KUBECONFIG=K8S_OIDC_TMP/gcloud kubectl config rename-context {GCLOUD_CONTEXT} wf > /dev/null\n"
    ) in result.stdout


def test_standalone_kubeconfig_uses_the_gcloud_plugin(rendered: Rendered, tools: Tools, env: dict[str, str]) -> None:
    standalone = {**env, "KUBECONFIG": str(rendered.out / "wf-okta-main" / "kubeconfig.yaml")}
    version = kubectl("version", "-o", "json", env=standalone)
    assert version.returncode == 0, version.stderr
    user = named(kubeconfig_view(standalone)["users"], "wf")["user"]
    assert user["exec"]["command"] == "gke-gcloud-auth-plugin"


def test_workforce_clusters_take_no_client_config(rendered: Rendered, tmp_path: Path) -> None:
    config = tmp_path / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs = write_json(tmp_path / "outputs.json", {"alpha-okta-main": {}, "wf-okta-main": {"cluster": {}}})
    result = run_render(config, outputs, tmp_path / "out", "--client-config", f"wf={outputs}")
    assert result.returncode == 2
    assert "cluster 'wf' uses workforce_identity: gcloud finds its server, not a ClientConfig" in result.stderr
    assert "wf-okta-main.workforce: required field is missing" in result.stderr
    assert "wf-okta-main.oidc_config" not in result.stderr
    assert "alpha-okta-main.oidc_config: required field is missing" in result.stderr


def test_hostile_workforce_values_reach_gcloud_exactly(
    rendered: Rendered, pki: Pki, tools: Tools, env: dict[str, str], tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    hostile = f"x \"dq\" 'sq' $(touch {marker}) `touch {marker}` \\ ;\nline2"
    config = tmp_path / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    workforce = {key: f"{key} {hostile}" for key in ("pool", "provider", "project", "location", "cluster_name")}
    outputs = {
        "alpha-okta-main": json.loads((rendered.out / ".." / "outputs.json").read_text(encoding="utf-8"))[
            "alpha-okta-main"
        ],
        "wf-okta-main": {
            "cluster": cluster_output(
                name="wf", type="gke", location="us-west1", endpoint=f"{rendered.server}/wf", ca_data=pki.ca_data
            ),
            "workforce": workforce,
        },
    }
    result = run_render(config, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    script = tmp_path / "out" / "wf-okta-main" / "setup-k8s-oidc.sh"
    assert shellcheck(script).returncode == 0
    for flags in (["--dry-run"], []):
        run = run_script(script, *flags, env=env)
        assert run.returncode == 0, run.stderr
    calls = tools.record_of("gcloud")
    assert calls[0][3] == f"locations/global/workforcePools/{workforce['pool']}/providers/{workforce['provider']}"
    assert calls[2] == [
        "container",
        "clusters",
        "get-credentials",
        workforce["cluster_name"],
        "--location",
        workforce["location"],
        "--project",
        workforce["project"],
    ]
    gcloud_context = f"gke_{workforce['project']}_{workforce['location']}_{workforce['cluster_name']}"
    assert named(kubeconfig_view(env)["contexts"], "wf")["context"]["cluster"] == gcloud_context
    assert not marker.exists()

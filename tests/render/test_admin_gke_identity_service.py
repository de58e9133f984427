"""The GKE admin script with real bash and kubectl against a local API server that looks like GKE;
gcloud is a stand-in that records its arguments and turns Identity Service on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gke_api import CLIENT_CONFIG_PATH, ENVOY_PATH, admin_kubeconfig, patches, serve_gke
from render_support import (
    GOOGLE_SCOPES,
    OKTA_SCOPES,
    ApiServer,
    Pki,
    Tools,
    cluster_output,
    kubectl,
    oidc_config,
    run_render,
    run_script,
    shellcheck,
    write_json,
)

CONFIG = """\
version: 1
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
  gws: {type: google_workspace, prefix: "gws:", client_id: 1234-abc.apps.googleusercontent.com}
clusters:
  data:
    type: gke
    project: acme-data
    location: us-west1
    cluster_name: data-cluster
    identity_providers: [okta-main, gws]
    public_access_cidrs: [203.0.113.0/24, 198.51.100.7/32]
  lab:
    type: gke
    project: acme-lab
    location: us-central1-a
    create: {public_access_cidrs: [192.0.2.0/24]}
    identity_providers: [okta-main]
  open: {type: gke, project: acme-open, location: us-east1, cluster_name: open, identity_providers: [okta-main]}
"""
OKTA_ISSUER = "https://acme.okta.com/oauth2/aus1a2b3c4"
SECRET = "GOCSPX-admin-secret"

EXTERNAL_LOAD_BALANCER = {
    "annotations": {
        "cloud.google.com/load-balancer-type": "External",
        "cloud.google.com/neg": '{"ingress":true,"exposed_ports":{"443":{}}}',
        "networking.gke.io/load-balancer-type": None,
    }
}
DATA_RANGES = ["203.0.113.0/24", "198.51.100.7/32"]
ENVOY_PATCH = {"metadata": EXTERNAL_LOAD_BALANCER, "spec": {"loadBalancerSourceRanges": DATA_RANGES}}
DATA_CLIENT_CONFIG_PATCH = {
    "spec": {
        "authentication": [
            {
                "name": "okta-main",
                "oidc": {
                    "clientID": "0oa-data",
                    "issuerURI": OKTA_ISSUER,
                    "kubectlRedirectURI": "http://localhost:8000",
                    "scopes": "openid,profile,email,groups",
                    "userClaim": "email",
                    "groupsClaim": "groups",
                    "userPrefix": "okta:",
                    "groupPrefix": "okta:",
                },
            },
            {
                "name": "gws",
                "oidc": {
                    "clientID": "1234-abc.apps.googleusercontent.com",
                    "clientSecret": SECRET,
                    "issuerURI": "https://accounts.google.com",
                    "kubectlRedirectURI": "http://localhost:8000",
                    "scopes": ",".join(GOOGLE_SCOPES),
                    "userClaim": "email",
                    "userPrefix": "gws:",
                    "groupPrefix": "gws:",
                },
            },
        ]
    }
}
MERGE_PATCH = "application/merge-patch+json"


@dataclass(frozen=True)
class Rendered:
    out: Path

    def script(self, cluster: str) -> Path:
        return self.out / "admin" / cluster / "configure-identity-service.sh"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Rendered:
    folder = tmp_path_factory.mktemp("admin")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")

    def gke(name: str, location: str) -> dict[str, Any]:
        return cluster_output(
            name=name, type="gke", location=location, endpoint="https://34.82.10.20", ca_data=pki.ca_data
        )

    outputs = {
        "data-okta-main": {
            "oidc_config": oidc_config(
                client_id="0oa-data", issuer_url=OKTA_ISSUER, prefix="okta:", scopes=OKTA_SCOPES
            ),
            "cluster": gke("data-cluster", "us-west1"),
        },
        "data-gws": {
            "oidc_config": oidc_config(
                client_id="1234-abc.apps.googleusercontent.com",
                issuer_url="https://accounts.google.com",
                prefix="gws:",
                scopes=GOOGLE_SCOPES,
                requires_client_secret=True,
                groups_claim=None,
            ),
            "oidc_client_secret": SECRET,
            "cluster": gke("data-cluster", "us-west1"),
        },
        # A created cluster's own stack: ignored, cross-stack outputs included.
        "lab-cluster": {"cluster": gke("lab", "us-central1-a"), "cross-stack-output-aws_eks_clusterabc": "x"},
        "lab-okta-main": {
            "oidc_config": oidc_config(client_id="0oa-lab", issuer_url=OKTA_ISSUER, prefix="okta:", scopes=OKTA_SCOPES),
            "cluster": gke("lab", "us-central1-a"),
        },
        "open-okta-main": {
            "oidc_config": oidc_config(
                client_id="0oa-open", issuer_url=OKTA_ISSUER, prefix="okta:", scopes=OKTA_SCOPES
            ),
            "cluster": gke("open", "us-east1"),
        },
    }
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("GKE server taken from the cluster output") == 3
    return Rendered(folder / "out")


@pytest.fixture
def gke(api: ApiServer, pki: Pki, tools: Tools, tmp_path: Path) -> dict[str, str]:
    """An admin kubeconfig for the GKE-like server, Identity Service off until gcloud enables it."""
    marker = tmp_path / "identity-service-enabled"
    serve_gke(api, marker)
    tools.add_recorder("gcloud", f"pathlib.Path({str(marker)!r}).touch()")
    home = tmp_path / "home"
    home.mkdir()
    return tools.env(home, admin_kubeconfig(api, pki.ca_data, tmp_path / "admin-kubeconfig"))


def test_enables_exposes_and_patches_with_every_idp(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str]
) -> None:
    result = run_script(rendered.script("data"), "--context", "gke-admin", "--yes", env=gke)
    assert result.returncode == 0, result.stderr
    assert tools.record_of("gcloud") == [
        [
            "container",
            "clusters",
            "update",
            "data-cluster",
            "--location",
            "us-west1",
            "--project",
            "acme-data",
            "--enable-identity-service",
        ]
    ]
    assert patches(api) == [
        (ENVOY_PATH, MERGE_PATCH, ENVOY_PATCH),
        (CLIENT_CONFIG_PATH, MERGE_PATCH, DATA_CLIENT_CONFIG_PATCH),
    ]
    assert "--client-config data=data-clientconfig.json" in result.stdout


def test_a_created_cluster_is_named_by_its_key(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str]
) -> None:
    result = run_script(rendered.script("lab"), "--yes", env=gke)
    assert result.returncode == 0, result.stderr
    assert tools.record_of("gcloud")[0][3:8] == ["lab", "--location", "us-central1-a", "--project", "acme-lab"]
    ((_, _, client_config),) = [patch for patch in patches(api) if patch[0] == CLIENT_CONFIG_PATH]
    assert [entry["name"] for entry in client_config["spec"]["authentication"]] == ["okta-main"]


def test_with_identity_service_on_it_only_patches_through_the_current_context(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str]
) -> None:
    Path(api.state["enabled_marker"]).touch()
    result = run_script(rendered.script("data"), env=gke)
    assert result.returncode == 0, result.stderr
    assert "Using the current kubectl context: gke-admin" in result.stdout
    assert tools.record_of("gcloud") == []
    assert [path for path, _, _ in patches(api)] == [ENVOY_PATH, CLIENT_CONFIG_PATH]


@pytest.mark.parametrize(("answer", "enabled"), [("n\n", False), ("", False), ("y\n", True)])
def test_enabling_asks_first(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str], answer: str, enabled: bool
) -> None:
    result = run_script(rendered.script("data"), env=gke, stdin=answer)
    assert (result.returncode == 0) is enabled, result.stderr
    assert bool(tools.record_of("gcloud")) is enabled
    assert bool(patches(api)) is enabled
    if not enabled:
        assert "nothing was changed (answer y, or pass --yes)" in result.stderr


def test_gcloud_is_needed_only_to_enable(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str], tmp_path: Path
) -> None:
    only_kubectl = tmp_path / "only-kubectl"
    only_kubectl.mkdir()
    (only_kubectl / "kubectl").symlink_to(Path("/usr/bin/kubectl").resolve())
    env = {**gke, "PATH": str(only_kubectl)}
    result = run_script(rendered.script("data"), "--yes", env=env)
    assert result.returncode == 1
    assert "enabling it needs gcloud" in result.stderr
    assert patches(api) == []


def test_unknown_context_fails_before_any_change(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str]
) -> None:
    result = run_script(rendered.script("data"), "--context", "nope", "--yes", env=gke)
    assert result.returncode == 1
    assert "cannot reach the cluster through context nope" in result.stderr
    assert tools.record_of("gcloud") == []
    assert patches(api) == []


def envoy_service(api: ApiServer, env: dict[str, str]) -> dict[str, Any]:
    """The service as the cluster has it after the script, read back with kubectl."""
    result = kubectl(
        "--context",
        "gke-admin",
        "get",
        "service",
        "gke-oidc-envoy",
        "-n",
        "anthos-identity-service",
        "-o",
        "json",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    service: dict[str, Any] = json.loads(result.stdout)
    return service


def envoy_patch(api: ApiServer) -> dict[str, Any]:
    ((_, content_type, body),) = [patch for patch in patches(api) if patch[0] == ENVOY_PATH]
    assert content_type == MERGE_PATCH
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("cluster", "ranges"),
    [("data", DATA_RANGES), ("lab", ["192.0.2.0/24"])],
    ids=["existing-cluster-public-access-cidrs", "created-cluster-create-public-access-cidrs"],
)
def test_the_envoy_load_balancer_admits_only_the_clusters_public_access_cidrs(
    rendered: Rendered, api: ApiServer, gke: dict[str, str], cluster: str, ranges: list[str]
) -> None:
    result = run_script(rendered.script(cluster), "--yes", env=gke)
    assert result.returncode == 0, result.stderr
    assert envoy_patch(api) == {"metadata": EXTERNAL_LOAD_BALANCER, "spec": {"loadBalancerSourceRanges": ranges}}
    assert envoy_service(api, gke)["spec"]["loadBalancerSourceRanges"] == ranges
    assert "every address" not in result.stdout + result.stderr


def test_without_ranges_a_non_interactive_run_refuses_before_changing_anything(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str]
) -> None:
    result = run_script(rendered.script("open"), env=gke, stdin="y\n")  # a pipe is not a terminal
    assert result.returncode == 1
    assert "will admit every address on the internet" in result.stderr
    assert "clusters.open.public_access_cidrs" in result.stderr
    assert "nothing was changed (run it in a terminal to answer, or pass --yes)" in result.stderr
    assert tools.record_of("gcloud") == []
    assert patches(api) == []


@pytest.mark.parametrize(("answer", "exposed"), [("n\n", False), ("\n", False), ("y\n", True)])
def test_without_ranges_the_admin_is_asked_at_a_terminal(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str], answer: str, exposed: bool
) -> None:
    Path(api.state["enabled_marker"]).touch()
    result = run_script(rendered.script("open"), env=gke, stdin=answer, on_a_terminal=True)
    assert (result.returncode == 0) is exposed, result.stderr
    assert "will admit every address on the internet" in result.stderr
    if exposed:
        assert "spec" not in envoy_patch(api)
        assert "loadBalancerSourceRanges" not in envoy_service(api, gke).get("spec", {})
    else:
        assert "endpoint not exposed; nothing was changed" in result.stderr
        assert patches(api) == []


def test_without_ranges_yes_exposes_it_after_the_warning(
    rendered: Rendered, api: ApiServer, tools: Tools, gke: dict[str, str]
) -> None:
    result = run_script(rendered.script("open"), "--yes", env=gke, stdin="")
    assert result.returncode == 0, result.stderr
    assert "will admit every address on the internet" in result.stderr
    assert envoy_patch(api) == {"metadata": EXTERNAL_LOAD_BALANCER}


def test_without_ranges_the_services_own_ranges_stay_and_nobody_is_asked(
    rendered: Rendered, api: ApiServer, gke: dict[str, str]
) -> None:
    Path(api.state["enabled_marker"]).touch()
    api.state["objects"] = {
        ENVOY_PATH: {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "gke-oidc-envoy", "namespace": "anthos-identity-service"},
            "spec": {"loadBalancerSourceRanges": ["10.1.0.0/16"]},
        }
    }
    result = run_script(rendered.script("open"), env=gke, stdin="")
    assert result.returncode == 0, result.stderr
    assert "keeps the source ranges it has" in result.stdout
    assert "every address" not in result.stderr
    assert "spec" not in envoy_patch(api)
    assert envoy_service(api, gke)["spec"]["loadBalancerSourceRanges"] == ["10.1.0.0/16"]


@pytest.mark.parametrize("cluster", ["data", "lab", "open"])
def test_admin_scripts_with_and_without_ranges_pass_shellcheck(rendered: Rendered, cluster: str) -> None:
    result = shellcheck(rendered.script(cluster))
    assert result.returncode == 0, result.stdout

"""Cluster rules of round 2 (contract 3): EKS with 1-10 IdPs (one on a created cluster below 1.32),
unique known issuers per cluster, `type: kubernetes` clusters, the GKE Identity Service warning.
Every rule has a config that breaks it, with its exact message at its key path."""

from __future__ import annotations

import base64
import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from config_support import (
    CA_DATA,
    CA_PEM,
    MINIMAL,
    ONPREM,
    kubernetes_problems,
    load,
    mutated,
    problems_of,
    with_cluster,
)

from stacks.config import GkeClusterConfig, KubernetesClusterConfig, parse_config
from stacks.config.clusters.gke import IDENTITY_SERVICE_DEPRECATION

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def many_idps(count: int) -> dict[str, dict[str, Any]]:
    """`count` JumpCloud IdPs, each on its own issuer (so no issuer rule fires)."""
    return {
        f"jc{index}": {"type": "jumpcloud", "client_id": f"id{index}", "issuer_url": f"https://jc{index}.example.com/"}
        for index in range(count)
    }


# --- EKS: 1 to 10 IdPs ---------------------------------------------------------------------------


def test_an_existing_eks_cluster_takes_several_idps_in_order() -> None:
    config = load(
        with_cluster("multi", {**MINIMAL["clusters"]["prod"], "identity_providers": ["jc", "okta-main", "gws"]})
    )
    assert [spec.name for spec in config.stacks() if spec.cluster == "multi"] == [
        "multi-jc",
        "multi-okta-main",
        "multi-gws",
    ]


def test_ten_idps_are_the_most_an_eks_cluster_takes() -> None:
    ten = many_idps(10)
    assert load(with_cluster("multi", {**MINIMAL["clusters"]["prod"], "identity_providers": list(ten)}, **ten))
    eleven = many_idps(11)
    problems = problems_of(
        with_cluster("multi", {**MINIMAL["clusters"]["prod"], "identity_providers": list(eleven)}, **eleven)
    )
    assert problems == {
        "clusters.multi.identity_providers": "EKS trusts at most 10 OIDC identity providers per cluster (on "
        "Kubernetes 1.32 and later), got 11 (jc0, jc1, jc2, jc3, jc4, jc5, jc6, jc7, jc8, jc9, jc10); keep 10 here"
    }


def created_eks(version: str, idps: list[str]) -> dict[str, Any]:
    cluster = copy.deepcopy(MINIMAL["clusters"]["demo"])
    cluster["create"]["kubernetes_version"] = version
    cluster["identity_providers"] = idps
    return cluster


def test_a_created_eks_cluster_below_1_32_takes_one_idp() -> None:
    problems = problems_of(with_cluster("old", created_eks("1.31", ["entra", "jc"])))
    assert problems == {
        "clusters.old.identity_providers": "EKS trusts one OIDC identity provider per cluster below Kubernetes "
        "1.32, and this cluster is created with kubernetes_version '1.31', got 2 (entra, jc); keep one IdP here, or "
        'set `create.kubernetes_version` to "1.32" or later, where EKS trusts up to 10'
    }


@pytest.mark.parametrize(("version", "idps"), [("1.31", ["entra"]), ("1.32", ["entra", "jc"]), ("1.40", ["jc", "gws"])])
def test_one_idp_below_1_32_and_several_from_1_32_are_fine(version: str, idps: list[str]) -> None:
    assert load(with_cluster("fine", created_eks(version, idps))).clusters["fine"].identity_providers == idps


# --- unique issuers per cluster ------------------------------------------------------------------


def test_two_idps_of_a_cluster_on_one_known_issuer_are_an_error() -> None:
    jc2 = {"type": "jumpcloud", "client_id": "other-app"}
    document = with_cluster(
        "contractors", {**MINIMAL["clusters"]["prod"], "identity_providers": ["jc", "jc2"]}, jc2=jc2
    )
    assert problems_of(document) == {
        "clusters.contractors.identity_providers": "jc and jc2 have the same issuer https://oauth.id.jumpcloud.com/, "
        "and a cluster trusts each issuer once (kube-apiserver and EKS require unique issuer URLs); keep one of them "
        "on this cluster"
    }


@pytest.mark.parametrize("cluster", ["gke", "kubernetes"])
def test_the_issuer_rule_holds_for_every_cluster_type(cluster: str) -> None:
    reused = {"type": "okta", "authorization_server_id": "aus1", "issuer_url": "https://acme.okta.com/oauth2/aus1"}
    base = MINIMAL["clusters"]["data"] if cluster == "gke" else ONPREM
    document = with_cluster("c", {**base, "identity_providers": ["a", "b", "jc"]}, a=reused, b=reused)
    assert problems_of(document)["clusters.c.identity_providers"].startswith(
        "a and b have the same issuer https://acme.okta.com/oauth2/aus1, "
    )


def test_issuers_known_only_after_deploy_and_other_clusters_dont_count() -> None:
    eu = {"type": "jumpcloud", "client_id": "eu-app", "issuer_url": "https://oauth.id.eu.jumpcloud.com/"}
    jc2 = {"type": "jumpcloud", "client_id": "other-app"}
    entra2 = {"type": "entra_id", "security_groups": ["k8s-admins"]}
    document = with_cluster(
        "multi",
        {**MINIMAL["clusters"]["prod"], "identity_providers": ["jc", "eu", "entra", "entra2"]},
        eu=eu,
        entra2=entra2,
    )
    document["clusters"]["other"] = {**MINIMAL["clusters"]["prod"], "identity_providers": ["jc2"]}
    document["identity_providers"]["jc2"] = jc2
    assert load(document).clusters["multi"].identity_providers == ["jc", "eu", "entra", "entra2"]


# --- type: kubernetes ----------------------------------------------------------------------------


def test_a_kubernetes_cluster_with_inline_ca_data() -> None:
    config = load(with_cluster("onprem", ONPREM))
    cluster = config.clusters["onprem"]
    assert isinstance(cluster, KubernetesClusterConfig)
    assert (cluster.created, cluster.region_or_location, cluster.certificate_authority) == (False, None, CA_DATA)
    assert [(spec.name, spec.kind.value) for spec in config.stacks() if spec.cluster == "onprem"] == [
        ("onprem-okta-main", "pair"),
        ("onprem-jc", "pair"),
    ]


EXACTLY_ONE_CA = (
    "give exactly one of `certificate_authority_data` (base64 of the API server's PEM CA certificate) or "
    "`certificate_authority_file` (the PEM file, relative to this config file), e.g. certificate_authority_file: "
    "pki/ca.crt"
)


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"certificate_authority_data": None}, "clusters.onprem", EXACTLY_ONE_CA),
        ({"certificate_authority_file": "ca.crt"}, "clusters.onprem", EXACTLY_ONE_CA),
        (
            {"certificate_authority_data": base64.b64encode(b"hello").decode()},
            "clusters.onprem.certificate_authority_data",
            "decodes to text that holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----); or "
            "give the PEM file as `certificate_authority_file`",
        ),
        (
            {"certificate_authority_data": CA_PEM.decode()},
            "clusters.onprem.certificate_authority_data",
            "is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`); or give the PEM file as "
            "`certificate_authority_file`",
        ),
        (
            {"endpoint": "http://k8s.acme.internal:6443"},
            "clusters.onprem.endpoint",
            "'http://k8s.acme.internal:6443' must be an https:// URL with a host; e.g. https://k8s.example.com:6443",
        ),
        ({"endpoint": None}, "clusters.onprem.endpoint", "required key is missing"),
        (
            {"identity_providers": []},
            "clusters.onprem.identity_providers",
            "must hold at least 1 item, got 0",
        ),
        (
            {"region": "us-west-2"},
            "clusters.onprem.region",
            "unknown key for this entry (`region` is a key of other entries; see the config reference in "
            "docs/configuration.md)",
        ),
        (
            {"cluster_name": "onprem"},
            "clusters.onprem.cluster_name",
            "unknown key for this entry (`cluster_name` is a key of other entries; see the config reference in "
            "docs/configuration.md)",
        ),
    ],
    ids=[
        "no-ca",
        "both-cas",
        "data-not-pem",
        "data-not-base64",
        "http-endpoint",
        "no-endpoint",
        "no-idps",
        "region",
        "cluster-name",
    ],
)
def test_each_kubernetes_rule_reports_its_key_path(
    tmp_path: Path, changes: dict[str, Any], where: str, message: str
) -> None:
    assert kubernetes_problems(tmp_path, **changes) == {where: message}


def test_64_idps_are_the_most_a_kubernetes_cluster_takes(tmp_path: Path) -> None:
    sixty_four = many_idps(64)
    assert load(with_cluster("onprem", {**ONPREM, "identity_providers": list(sixty_four)}, **sixty_four))
    sixty_five = many_idps(65)
    problems = problems_of(with_cluster("onprem", {**ONPREM, "identity_providers": list(sixty_five)}, **sixty_five))
    assert problems == {
        "clusters.onprem.identity_providers": "kube-apiserver takes at most 64 JWT authenticators, one per identity "
        "provider, got 65"
    }


def test_a_bad_endpoint_does_not_hide_a_bad_ca_file(tmp_path: Path) -> None:
    problems = kubernetes_problems(
        tmp_path,
        endpoint="https://k8s.acme.internal@127.0.0.1:6443",
        certificate_authority_data=None,
        certificate_authority_file="gone.crt",
    )
    assert problems == {
        "clusters.onprem.endpoint": "'https://k8s.acme.internal@127.0.0.1:6443' must hold no user name or password "
        "before the host ('…@'): clients would connect to '127.0.0.1', the part after the '@'; e.g. "
        "https://k8s.example.com:6443",
        "clusters.onprem.certificate_authority_file": f"cannot read 'gone.crt' ({tmp_path / 'gone.crt'}): no such "
        "file (the path is relative to the config file)",
    }


def test_a_bad_endpoint_does_not_hide_two_certificate_authorities(tmp_path: Path) -> None:
    problems = kubernetes_problems(tmp_path, endpoint="https://k8s.acme.internal/#x", certificate_authority_file="c")
    assert problems == {
        "clusters.onprem.endpoint": "'https://k8s.acme.internal/#x' must hold no query ('?…') or fragment ('#…'); "
        "e.g. https://k8s.example.com:6443",
        "clusters.onprem": EXACTLY_ONE_CA,
    }


# --- GKE Identity Service is deprecated ----------------------------------------------------------

DEPRECATION_CONFIG = """\
version: 1
google_workforce_pool: {organization_id: "123456789012", pool_id: k8s-engineers}
identity_providers:
  jc: {type: jumpcloud, client_id: app, workforce_client_id: web-app}
clusters:
  data: {type: gke, project: acme-data, location: us-west1, cluster_name: data, identity_providers: [jc]}
  lab: {type: gke, auth: identity_service, project: acme-lab, location: us-west1, identity_providers: [jc],
        cluster_name: lab}
  new: {type: gke, auth: workforce_identity, project: acme-new, location: us-west1, identity_providers: [jc],
        cluster_name: new}
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
"""


def test_every_identity_service_cluster_is_warned_about_once() -> None:
    config = parse_config(DEPRECATION_CONFIG, Path("oidc.yaml"))
    assert [(warning.path, warning.message) for warning in config.warnings] == [
        ("clusters.data.auth", IDENTITY_SERVICE_DEPRECATION),
        ("clusters.lab.auth", IDENTITY_SERVICE_DEPRECATION),
    ]


def test_the_warning_says_what_google_decided_and_what_to_use_instead() -> None:
    for fact in (
        "deprecated",
        "2026-07-01",
        "unsupported from GKE 1.37",
        "created after 2025-07-01",
        "`auth: workforce_identity`",
        "migration: docs/gke-workforce.md",
    ):
        assert fact in IDENTITY_SERVICE_DEPRECATION
    page = (PROJECT_ROOT / "docs" / "gke-workforce.md").read_text(encoding="utf-8")
    assert "\n## Migrating GKE from Identity Service to Workforce Identity\n" in page


@pytest.mark.parametrize("command", ["validate", "synth"])
def test_validate_and_synth_print_the_warning_on_stderr(tmp_path: Path, command: str) -> None:
    config = tmp_path / "oidc.yaml"
    # Without the workforce cluster: its pool stack would load far more of the google provider.
    document = yaml.safe_load(DEPRECATION_CONFIG)
    del document["google_workforce_pool"], document["clusters"]["new"]
    config.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), command, "--config", str(config)],
        cwd=tmp_path,
        env={**os.environ, "CDKTF_OUTDIR": str(tmp_path / "cdktf.out")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: {config}: clusters.data.auth: {IDENTITY_SERVICE_DEPRECATION}",
        f"warning: {config}: clusters.lab.auth: {IDENTITY_SERVICE_DEPRECATION}",
    ]
    assert "warning" not in result.stdout


# --- GKE: the Identity Service endpoint ---------------------------------------------------------


def test_an_existing_gke_cluster_may_limit_its_identity_service_endpoint() -> None:
    config = load(mutated("clusters.data.public_access_cidrs", ["203.0.113.0/24"]))
    data = config.clusters["data"]
    assert isinstance(data, GkeClusterConfig)
    assert data.identity_service_source_ranges == ["203.0.113.0/24"]
    assert isinstance(load(MINIMAL).clusters["data"], GkeClusterConfig)
    assert load(MINIMAL).clusters["data"].identity_service_source_ranges is None  # type: ignore[union-attr]


def test_a_created_gke_clusters_endpoint_ranges_are_its_create_public_access_cidrs() -> None:
    created = {
        "type": "gke",
        "project": "acme-lab",
        "location": "us-central1",
        "create": {"public_access_cidrs": ["192.0.2.0/24"]},
        "identity_providers": ["jc"],
    }
    lab = load(mutated("clusters.lab", created)).clusters["lab"]
    assert isinstance(lab, GkeClusterConfig)
    assert lab.identity_service_source_ranges == ["192.0.2.0/24"]
    assert problems_of(mutated("clusters.lab", {**created, "public_access_cidrs": ["192.0.2.0/24"]})) == {
        "clusters.lab.public_access_cidrs": (
            "`public_access_cidrs` of a created cluster go under `create` (they are its master authorized networks "
            "and its Identity Service endpoint's source ranges at once); remove the one beside `create`"
        )
    }


def test_a_workforce_cluster_has_no_identity_service_endpoint_to_limit() -> None:
    document = mutated("clusters.data.public_access_cidrs", ["203.0.113.0/24"])
    document["clusters"]["data"]["auth"] = "workforce_identity"
    assert problems_of(document) == {
        "clusters.data.public_access_cidrs": (
            "`public_access_cidrs` limits the Identity Service endpoint, which a `workforce_identity` cluster does "
            "not use (engineers reach it through gcloud); remove it"
        )
    }

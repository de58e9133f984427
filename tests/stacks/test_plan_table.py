"""The table `main.py validate` prints: every stack with its kind, types and where its state lives."""

from __future__ import annotations

from pathlib import Path

from stacks.config import parse_config
from stacks.plan_table import stack_table

CONFIG = """\
version: 1
backend: {type: cloud, organization: acme}
google_workforce_pool: {organization_id: "123456789012", pool_id: k8s-engineers}
identity_providers:
  okta: {type: okta}
clusters:
  wf:
    type: gke
    auth: workforce_identity
    project: acme-wf
    location: us-west1
    create: {public_access_cidrs: [203.0.113.0/24]}
    identity_providers: [okta]
"""


def test_rows_in_build_order_with_cloud_workspaces() -> None:
    table = stack_table(parse_config(CONFIG, Path("oidc.yaml"))).splitlines()
    assert table[0] == "oidc.yaml: valid, 4 stacks"
    rows = [line.split() for line in table[2:]]
    assert rows == [
        ["terraform-cloud", "terraform-cloud", "-", "-", "-", "local", "terraform.terraform-cloud.tfstate"],
        ["workforce-pool", "workforce-pool", "-", "okta", "-", "cloud", "acme/k8s-oidc-workforce-pool"],
        ["wf-cluster", "cluster", "gke", "(workforce)", "-", "created", "cloud", "acme/k8s-oidc-wf-cluster"],
        ["wf-okta", "pair", "gke", "(workforce)", "okta", "created", "cloud", "acme/k8s-oidc-wf-okta"],
    ]


def test_a_shared_application_has_its_idp_row_before_the_pairs() -> None:
    config = parse_config(
        CONFIG.replace("okta: {type: okta}", "okta: {type: okta, application: shared}").replace(
            "clusters:\n",
            "clusters:\n  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [okta]}\n",
        ),
        Path("oidc.yaml"),
    )
    rows = [line.split() for line in stack_table(config).splitlines()[2:]]
    assert [row[:2] for row in rows] == [
        ["terraform-cloud", "terraform-cloud"],
        ["workforce-pool", "workforce-pool"],
        ["okta-idp", "idp"],
        ["prod-okta", "pair"],
        ["wf-cluster", "cluster"],
        ["wf-okta", "pair"],
    ]
    assert rows[2] == ["okta-idp", "idp", "-", "okta", "-", "cloud", "acme/k8s-oidc-okta-idp"]

"""What a cluster makes of a verified token (doctor/cluster_view.py): the prefixed username and groups,
the access rules that match, and a note for each rule's group the token lacks. End to end, after the
token's own checks: test_id_token.py."""

from __future__ import annotations

import io

from doctor_support import PROJECT_ROOT

from doctor.cluster_view import report_cluster_view
from doctor.report import Report
from doctor.targets import build_targets
from stacks.config import load_config

CONFIG = load_config(PROJECT_ROOT / "tests" / "render" / "fixtures" / "oidc.yaml")
(TARGET,) = build_targets(CONFIG, ["okta-main"], None, None)
(TRUST,) = TARGET.trusts
"""Cluster `prod`'s trust in okta-main, with its prefix `okta:`."""


def view(user: str, groups: list[str]) -> list[str]:
    out = io.StringIO()
    report_cluster_view(Report(out, json_output=False, name_width=9), CONFIG, "okta-main", TRUST, user, groups)
    return out.getvalue().splitlines()


def test_the_matching_rules_and_the_groups_the_token_lacks() -> None:
    assert view("jane@example.com", ["k8s-developers", "other"]) == [
        "ok    okta-main  cluster prod: Kubernetes sees user okta:jane@example.com, groups okta:k8s-developers, "
        "okta:other; access: edit in namespace team-a (as group k8s-developers)",
        "note  okta-main  cluster prod: the token doesn't carry group k8s-admins (ClusterRole cluster-admin), named "
        "in access for this IdP",
    ]


def test_no_matching_rule_is_a_note() -> None:
    assert view("jane@example.com", []) == [
        "note  okta-main  cluster prod: Kubernetes sees user okta:jane@example.com, groups (none); no access rule "
        "matches: the user can sign in but do nothing",
        "note  okta-main  cluster prod: the token doesn't carry group k8s-admins (ClusterRole cluster-admin); group "
        "k8s-developers (edit in namespace team-a), named in access for this IdP",
    ]

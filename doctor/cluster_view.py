"""What a cluster makes of a verified ID token (DESIGN.md contract 6, `--id-token` and `--login`): the
username and groups with the cluster's and the IdP's prefixes, and the config's `access:` rules that match —
or that name a group the token doesn't carry."""

from __future__ import annotations

from collections.abc import Sequence

from doctor.report import Report, Status
from doctor.targets import Trust
from stacks.config import AccessRule, Config


def report_cluster_view(
    report: Report, config: Config, idp: str, trust: Trust, user: str, groups: Sequence[str]
) -> None:
    """Report, under IdP `idp`, what the cluster of `trust` sees of a token of `user` in `groups`."""
    username = trust.subject_prefix + trust.username_prefix + user
    seen_groups = [trust.subject_prefix + trust.groups_prefix + group for group in groups]
    rules = config.access_rules_for(trust.cluster, idp)
    granted = [rule for rule in rules if rule.user == user or (rule.group is not None and rule.group in groups)]
    check = f"cluster {trust.cluster}"
    sees = f"Kubernetes sees user {username}, groups {', '.join(seen_groups) if seen_groups else '(none)'}"
    if granted:
        report.add(idp, check, Status.OK, f"{sees}; access: {'; '.join(_describe(rule) for rule in granted)}")
    else:
        report.add(idp, check, Status.NOTE, f"{sees}; no access rule matches: the user can sign in but do nothing")
    absent = [rule for rule in rules if rule.group is not None and rule.group not in groups]
    if absent:
        report.add(
            idp,
            check,
            Status.NOTE,
            "the token doesn't carry "
            + "; ".join(f"group {rule.group} ({_role(rule)})" for rule in absent)
            + ", named in access for this IdP",
        )


def _role(rule: AccessRule) -> str:
    if rule.namespace is None:
        return f"ClusterRole {rule.cluster_role}"
    return f"{rule.cluster_role} in namespace {rule.namespace}"


def _describe(rule: AccessRule) -> str:
    subject = f"group {rule.group}" if rule.group is not None else f"user {rule.user}"
    return f"{_role(rule)} (as {subject})"

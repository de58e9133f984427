"""Rules across entries (`stacks.config.checks`): references, groups an IdP can't carry, stack names, the
warnings about what the config uses."""

from __future__ import annotations

import copy

from config_support import MINIMAL, load, problems_of


def test_group_rule_for_an_idp_without_groups_claim_is_an_error() -> None:
    document = copy.deepcopy(MINIMAL)
    document["access"].append({"identity_provider": "gws", "group": "admins", "cluster_role": "view"})
    problems = problems_of(document)
    assert "no groups claim" in problems["access[1].group"]


def test_colliding_stack_names_are_an_error() -> None:
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["b-c"] = {"type": "jumpcloud", "client_id": "x"}
    document["identity_providers"]["c"] = {"type": "jumpcloud", "client_id": "y"}
    document["clusters"]["a"] = {**document["clusters"]["data"], "identity_providers": ["b-c"]}
    document["clusters"]["a-b"] = {**document["clusters"]["data"], "identity_providers": ["c"]}
    problems = problems_of(document)
    assert "'a-b-c' is also made by" in problems["clusters.a-b.identity_providers (c)"]


def test_cluster_stack_name_collides_with_a_pair_named_cluster() -> None:
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["cluster"] = {"type": "jumpcloud", "client_id": "x"}
    document["clusters"]["demo"]["identity_providers"] = ["cluster"]
    problems = problems_of(document)
    assert "'demo-cluster' is also made by" in problems["clusters.demo.identity_providers (cluster)"]


def test_unused_idp_and_empty_entra_groups_are_warnings_not_errors() -> None:
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["spare"] = {"type": "jumpcloud", "client_id": "z"}
    document["identity_providers"]["entra"]["security_groups"] = []
    warnings = {warning.path: warning.message for warning in load(document).warnings}
    assert "not used by any cluster" in warnings["identity_providers.spare"]
    assert "nobody can sign in" in warnings["identity_providers.entra.security_groups"]

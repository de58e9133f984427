"""The validated config (`stacks.config.validated`): each IdP's settings, the access rules of a pair, the
order the stacks are applied in."""

from __future__ import annotations

import copy

from config_support import MINIMAL, load, mutated, with_cluster


def test_idp_defaults_follow_the_contract_table() -> None:
    config = load(MINIMAL)
    assert config.user_claim("entra") == "preferred_username"
    assert config.user_claim("okta-main") == "email"
    assert config.groups_claim("gws") is None
    assert config.groups_claim("jc") == "groups"
    assert config.scopes("okta-main") == ("openid", "profile", "email", "groups")


def test_refresh_tokens_are_off_unless_asked_and_bring_offline_access() -> None:
    assert not any(idp.refresh_tokens for idp in load(MINIMAL).identity_providers.values())
    config = load(mutated("identity_providers.jc.refresh_tokens", True))
    assert config.scopes("jc") == ("openid", "profile", "email", "offline_access")
    assert load(MINIMAL).scopes("jc") == ("openid", "profile", "email")


def test_access_rules_apply_to_every_cluster_of_the_idp_by_default() -> None:
    document = copy.deepcopy(MINIMAL)
    document["clusters"]["second"] = {**document["clusters"]["prod"], "cluster_name": "Second"}
    config = load(document)
    assert len(config.access_rules_for("prod", "okta-main")) == 1
    assert len(config.access_rules_for("second", "okta-main")) == 1
    assert config.access_rules_for("data", "gws") == []


def test_the_pair_stacks_of_an_eks_cluster_are_applied_one_after_the_other() -> None:
    """The chain synth turns into stack dependencies (and Terraform Cloud into run triggers)."""
    document = with_cluster("multi", {**MINIMAL["clusters"]["prod"], "identity_providers": ["jc", "okta-main", "gws"]})
    document["clusters"]["demo"]["identity_providers"] = ["entra", "jc"]
    config = load(document)
    assert {spec.name: config.previous_in_chain(spec) for spec in config.stacks()} == {
        "prod-okta-main": None,
        "data-gws": None,  # GKE: the cluster itself changes nothing per IdP
        "data-jc": None,
        "demo-cluster": None,
        "demo-entra": None,
        "demo-jc": "demo-entra",
        "multi-jc": None,
        "multi-okta-main": "multi-jc",
        "multi-gws": "multi-okta-main",
    }

"""The pair stacks' outputs by how engineers sign in (render/pair_outputs.py): one check per sign-in, and a
pair's outputs are those of its cluster's kind. Every re-check of the values: test_output_checks.py."""

from __future__ import annotations

import json

from render_support import FIXTURES

from render.pair_outputs import PAIR_CHECKS, check_pairs
from stacks.config import SignIn, load_config
from stacks.errors import Problem


def test_every_sign_in_has_its_outputs_check() -> None:
    assert set(PAIR_CHECKS) == set(SignIn)


def test_a_kubelogin_pair_reads_oidc_config_and_nothing_of_a_workforce_pool() -> None:
    config = load_config(FIXTURES / "oidc.yaml")
    raw = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))
    problems: list[Problem] = []
    pairs = check_pairs(config, raw, problems, None)
    assert problems == []
    assert [(pair.stack, pair.oidc is not None, pair.workforce) for pair in pairs] == [
        ("prod-okta-main", True, None),
        ("data-gws", True, None),
    ]
    # Workforce outputs in place of oidc_config: the kubelogin pair's check asks for oidc_config.
    workforce = {"project": "p", "location": "l", "cluster_name": "c", "pool": "pool", "provider": "prov"}
    raw["prod-okta-main"] = {"cluster": raw["prod-okta-main"]["cluster"], "workforce": workforce}
    pairs = check_pairs(config, raw, problems, None)
    assert [pair.stack for pair in pairs] == ["data-gws"]
    assert {problem.path for problem in problems} == {"prod-okta-main.oidc_config"}


def test_only_the_selected_stacks_must_have_outputs() -> None:
    config = load_config(FIXTURES / "oidc.yaml")
    raw = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))
    del raw["data-gws"]
    problems: list[Problem] = []
    assert [pair.stack for pair in check_pairs(config, raw, problems, ["prod-okta-main"])] == ["prod-okta-main"]
    assert problems == []
    check_pairs(config, raw, problems, None)
    assert [problem.path for problem in problems] == ["data-gws"]

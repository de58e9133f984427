"""Config messages are sentences a platform engineer acts on: what was wrong, the value, a right one —
never pydantic's wording or a bare regular expression (stacks/config/messages.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_props import BASE, CASES, problems_of, with_value

from constructs_lib.oidc import IdentityProviderType
from stacks.config import CLUSTER_KINDS, ClusterConfig, IdentityProviderConfig, parse_config
from stacks.config.backend import Backend
from stacks.config.messages import problems_from_error, union_tags
from stacks.errors import Problem, UserError

ROOT = Path(__file__).resolve().parents[3]

# Every kind of bad value: wrong types, patterns, ranges, unknown keys and names, props rules.
BAD_VALUES = [
    *[(path, value) for path, value, _ in CASES],
    ("version", 2),
    ("version", "1"),
    ("backend", {"type": "cloud", "organization": "acme corp"}),
    ("backend", {"type": "cloud", "organization": "acme", "hostname": "https://app.terraform.io"}),
    ("defaults", {"redirect_ports": [80, "8000"]}),
    ("clusters.demo.create.kubernetes_version", 1.3),
    ("clusters.demo.create.availability_zones", "us-west-2a"),
    ("clusters.prod.identity_providers", "jc"),
    ("clusters.prod.regoin", "us-west-2"),
    ("clusters.data.auth", "iam"),
    ("clusters.lab.create.release_channel", "NIGHTLY"),
    ("clusters.lab.create.node_count", "3"),
    ("identity_providers.jc.prefix", 7),
    ("identity_providers.jc.type", "auth0"),
    ("access", [{"identity_provider": "okta-man", "group": "x", "cluster_role": "Admin Role"}]),
    ("access", [{"identity_provider": "okta-main", "group": "x", "cluster_role": "view", "namespace": "Team_A"}]),
    ("access", "everyone"),
    ("google_workforce_pool", {"organization_id": True, "pool_id": "k8s-engineers"}),
]

# A regular expression's tell-tales: anchors, classes, quantifiers, groups.
REGEX_TELLTALE = re.compile(r"\^\[|\[a-z|\{\d+,\d*\}|\\[dsw]|\(\?|\$'|\$\"|\]\+|\]\*")


@pytest.mark.parametrize(("path", "value"), BAD_VALUES, ids=[f"{p}={v!r}" for p, v in BAD_VALUES])
def test_no_message_reads_like_a_library_or_a_regex(path: str, value: object) -> None:
    problems = problems_of(with_value(path, value))
    assert problems
    for where, message in problems.items():
        assert "Input should be" not in message, (where, message)
        assert "String should" not in message, (where, message)
        assert "Value error" not in message, (where, message)
        assert not REGEX_TELLTALE.search(message), (where, message)


def test_a_pattern_mismatch_names_the_kind_of_value_and_an_example() -> None:
    assert problems_of(with_value("backend", {"type": "cloud", "organization": "acme corp"})) == {
        "backend.organization": (
            "must be a Terraform Cloud organization name (letters, digits, '_' and '-', at most 40 characters), "
            "such as 'acme'; got 'acme corp'"
        )
    }


def test_a_number_where_text_is_expected_says_to_quote_it() -> None:
    assert problems_of(with_value("clusters.demo.create.kubernetes_version", 1.3)) == {
        "clusters.demo.create.kubernetes_version": (
            "expected text, got the number 1.3 (YAML read the unquoted value as the number 1.3): write it in "
            'quotes exactly as you mean it, e.g. "1.30" rather than 1.30, which YAML makes 1.3'
        )
    }


def test_a_wrong_version_says_what_it_got() -> None:
    assert problems_of(with_value("version", "1")) == {"version": "must be 1; got the text '1'"}


def test_unknown_keys_and_names_suggest_the_close_one() -> None:
    assert problems_of(with_value("clusters.prod.regoin", "us-west-2")) == {
        "clusters.prod.regoin": "unknown key (did you mean 'region'?)"
    }
    document = with_value("clusters.prod.identity_providers", ["j"])
    document["clusters"]["prod"]["identity_providers"] = ["okta-man"]
    assert problems_of(document) == {
        "clusters.prod.identity_providers[0]": (
            "unknown identity provider 'okta-man' (did you mean 'okta-main'?); declared: entra, gws, jc, okta-main"
        )
    }


def test_group_names_with_spaces_are_allowed_but_control_characters_are_not() -> None:
    rule = {"identity_provider": "entra", "group": "K8s Platform Admins", "cluster_role": "view"}
    config = parse_config(yaml.safe_dump(with_value("access", [rule])), Path("oidc.yaml"))
    assert config.access[0].group == "K8s Platform Admins"
    rule["group"] = "admins\n"
    assert problems_of(with_value("access", [rule])) == {
        "access[0].group": "must be one line of printable text, without tabs or control characters; got 'admins\\n'"
    }


def test_a_tab_says_tab() -> None:
    text = yaml.safe_dump(BASE, sort_keys=False).replace("\n  okta-main:", "\n\tokta-main:", 1)
    with pytest.raises(UserError) as raised:
        parse_config(text, Path("oidc.yaml"))
    (problem,) = raised.value.problems
    assert re.fullmatch(
        r"line \d+, column 1: malformed YAML: a tab character; YAML indents with spaces only: replace the tab "
        r"with spaces",
        problem.message,
    ), problem.message


def test_a_closed_stdout_is_not_an_error(tmp_path: Path) -> None:
    # Enough stacks that the table outgrows the pipe's buffer after `head` has gone.
    document = yaml.safe_load((ROOT / "oidc.yaml").read_text(encoding="utf-8"))
    template = document["clusters"]["prod"]
    document["clusters"] = {f"c{index}": {**template, "cluster_name": f"C{index}"} for index in range(3000)}
    document["access"] = []
    config = tmp_path / "oidc.yaml"
    config.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = subprocess.run(
        f"{sys.executable} main.py validate --config {config} | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stderr.count("Traceback") == 0, result.stderr
    assert "BrokenPipe" not in result.stderr
    assert result.returncode == 0
    assert result.stdout.startswith(str(config))


def test_the_type_tags_users_never_wrote_are_the_models_and_are_left_out_of_key_paths() -> None:
    assert union_tags(IdentityProviderConfig) == {idp_type.value for idp_type in IdentityProviderType}
    assert union_tags(ClusterConfig) == {facts.config_type for facts in CLUSTER_KINDS.values()}
    assert union_tags(Backend) == {"local", "cloud"}
    for tag in ("okta", "eks", "kubernetes", "cloud"):
        missing = {"loc": (tag, "region"), "type": "missing", "msg": "Field required", "input": {}}
        assert problems_from_error(("clusters", "x"), missing) == [
            Problem("clusters.x.region", "required key is missing")
        ]


@pytest.mark.parametrize("key", ["region", "node_count", "pool_id", "organization", "redirect_ports"])
def test_a_key_of_another_section_or_entry_type_is_named_as_such(key: str) -> None:
    assert problems_of(with_value(f"identity_providers.jc.{key}", "x")) == {
        f"identity_providers.jc.{key}": (
            f"unknown key for this entry (`{key}` is a key of other entries; see the config reference in "
            "docs/configuration.md)"
        )
    }

"""Config values are literal text (stacks/config/literal_values.py): `${` or `%{` anywhere in `oidc.yaml`
is a config error at its key path, every such value in one run — Terraform would evaluate it
(`${file("/etc/passwd")}` reads that file on the machine that runs Terraform)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from config_support import MINIMAL, load, problems_of

from stacks.config.literal_values import template_sequence_problems

PROJECT_ROOT = Path(__file__).resolve().parents[3]
FILE_READ = '${file("/etc/passwd")}'
DIRECTIVE = "%{ for x in [1] }x%{ endfor }"


def hostile_config() -> dict[str, Any]:
    """A valid config but for a Terraform expression in every kind of value the issue found one in."""
    document = copy.deepcopy(MINIMAL)
    idps = document["identity_providers"]
    idps["okta-main"].update(app_label=f"k8s {FILE_READ}", prefix=f"okta{FILE_READ}:", group_filter_regex=DIRECTIVE)
    idps["entra"]["security_groups"] = ["k8s-admins", f"k8s-{FILE_READ}"]
    idps["gws"]["client_id"] = f"{FILE_READ}.apps.googleusercontent.com"
    idps["jc"]["client_id"] = "${var.x}"
    document["access"] = [
        {"identity_provider": "okta-main", "group": f"admins{FILE_READ}", "cluster_role": "cluster-admin"},
        {"identity_provider": "gws", "user": "%{if true}jane%{endif}@example.com", "cluster_role": "view"},
    ]
    return document


EXPECTED_KEYS = [
    "identity_providers.okta-main.app_label",
    "identity_providers.okta-main.prefix",
    "identity_providers.okta-main.group_filter_regex",
    "identity_providers.entra.security_groups[1]",
    "identity_providers.gws.client_id",
    "identity_providers.jc.client_id",
    "access[0].group",
    "access[1].user",
]


def message(value: str, found: str) -> str:
    return (
        f"{value!r} holds {found}, which Terraform would evaluate instead of taking the text as written (e.g. "
        '`${file("/etc/passwd")}` reads that file on the machine that runs Terraform); config values are literal '
        f"text and k8s-oidc makes every reference itself: remove the {found} from the value"
    )


def test_every_value_with_an_expression_is_named_at_its_key_in_one_run() -> None:
    problems = problems_of(hostile_config())
    assert [key for key in problems if key in EXPECTED_KEYS] == EXPECTED_KEYS
    assert problems["identity_providers.okta-main.app_label"] == message(f"k8s {FILE_READ}", "`${`")
    assert problems["identity_providers.okta-main.group_filter_regex"] == message(DIRECTIVE, "`%{`")
    assert problems["identity_providers.jc.client_id"] == message("${var.x}", "`${`")


def test_both_sequences_in_one_value_are_named_and_a_long_value_is_cut() -> None:
    value = "${a}%{b}" + "x" * 100
    (problem,) = template_sequence_problems({"clusters": {"prod": {"region": value}}})
    assert problem.path == "clusters.prod.region"
    assert problem.message == message(value[:60] + "…", "`${` and `%{`")


@pytest.mark.parametrize(
    "document",
    [
        {"a": ["$", "{", "$ {", "%", "{x}", "$$", "100%", "{{ x }}", "$(id)"]},
        {"a": {"b": 1, "c": True, "d": None}},
    ],
)
def test_dollar_and_percent_alone_are_fine(document: Any) -> None:
    assert template_sequence_problems(document) == []


def test_values_at_every_depth_are_found_and_keys_alone_are_left_to_the_models() -> None:
    deep: Any = "${x}"
    for _ in range(5000):  # deeper than Python's recursion limit: the walk is iterative
        deep = [deep]
    (problem,) = template_sequence_problems({"a": deep, "${key}": 1})
    assert problem.path == "a" + "[0]" * 5000


def test_a_value_that_looks_like_a_cdktf_token_is_refused_too() -> None:
    """The props leave unresolved cdktf tokens to Terraform; a config value can't be one, so it can't slip
    past their checks by looking like one."""
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["okta-main"]["prefix"] = "sys${TfToken[TOKEN.1]}"
    assert list(problems_of(document)) == ["identity_providers.okta-main.prefix"]


def test_the_bundled_example_has_none() -> None:
    text = (PROJECT_ROOT / "oidc.yaml").read_text(encoding="utf-8")
    assert template_sequence_problems(yaml.safe_load(text)) == []
    assert load(text).stacks()


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", ["validate", "synth"])
def test_validate_and_synth_refuse_the_file_with_exit_2_and_write_nothing(tmp_path: Path, command: str) -> None:
    config = tmp_path / "oidc.yaml"
    config.write_text(yaml.safe_dump(hostile_config(), sort_keys=False), encoding="utf-8")
    result = run(command, "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {config}: ")
    for key in EXPECTED_KEYS:
        assert f"  - {key}: " in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["oidc.yaml"]

"""stacks/config/reference.py: the config reference tables of docs/configuration.md, generated from the
JSON Schema of oidc.yaml (the model), between markers; stale tables fail here, as a stale schema does."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from stacks.config.reference import (
    PAGE,
    TOP_LEVEL,
    ReferenceError,
    begin_marker,
    end_marker,
    main,
    reference_blocks,
    updated,
)
from stacks.config.schema import config_schema

ROOT = Path(__file__).resolve().parents[2]


def rows(markdown: str) -> dict[str, list[str]]:
    """{key: its rows' cells} of every table in `markdown`."""
    found: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        match = re.match(r"^\| `([^`]+)` \| (.*) \|$", line)
        if match:
            found.setdefault(match[1], []).append(match[2])
    return found


def objects(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(name, object schema) of the root and of every definition with properties."""
    yield "root", schema
    for name, definition in schema["$defs"].items():
        if "properties" in definition:
            yield name, definition


def test_the_page_holds_the_tables_the_model_gives() -> None:
    page = (ROOT / PAGE).read_text(encoding="utf-8")
    assert updated(page, reference_blocks()) == page, (
        f"{PAGE}: the config reference is stale: run python -m stacks.config.reference --write {PAGE}"
    )


def test_every_key_of_every_object_of_the_schema_has_a_row() -> None:
    generated = rows("\n".join(reference_blocks().values()))
    missing = [
        f"{name}.{key}"
        for name, definition in objects(config_schema())
        for key in definition["properties"]
        if key not in generated
    ]
    assert missing == []


def test_every_default_and_every_choice_of_the_model_is_shown() -> None:
    blocks = "\n".join(reference_blocks().values())
    assert "| `group_filter_regex` | no | `.*` |" in blocks
    assert "| `redirect_ports` | no | `[8000, 18000]` |" in blocks
    assert "| `backend` | no | `{type: local}` |" in blocks
    assert "| `refresh_tokens` | no | `false` |" in blocks
    assert "| `security_groups` | no | `[]` |" in blocks
    assert "| `node_count` | no | `1` |" in blocks
    assert "One of `RAPID`, `REGULAR`, `STABLE`." in blocks
    assert "One of `identity_service`, `workforce_identity`." in blocks
    for definition in config_schema()["$defs"].values():
        for choice in definition.get("enum", []):
            assert f"`{choice}`" in blocks


def test_required_keys_refused_keys_and_bounds_are_shown() -> None:
    generated = rows(reference_blocks()["clusters"])
    (region,) = generated["region"]
    assert region.startswith("yes |  | The AWS region")
    (zones,) = generated["availability_zones"]
    assert zones.startswith("yes |") and zones.endswith("At most 6 entries.")
    (secret,) = rows(reference_blocks()["identity_providers"])["client_secret"]
    assert secret.startswith("refused |")
    (ports,) = rows(reference_blocks()["defaults"])["redirect_ports"]
    assert ports.endswith("1 to 8 entries; each 1024 to 65535.")


def test_keys_every_type_shares_are_shown_once_and_each_type_has_its_own_table() -> None:
    idps = reference_blocks()["identity_providers"]
    assert idps.startswith("### `identity_providers.<name>`: every `type`\n")
    assert len(rows(idps)["prefix"]) == 1
    for idp_type in ("okta", "entra_id", "google_workspace", "jumpcloud", "oidc"):
        assert f"### `identity_providers.<name>` (`type: {idp_type}`)\n" in idps
    clusters = reference_blocks()["clusters"]
    assert "### `clusters.<name>.create` (`type: eks`)" in clusters
    assert "### `clusters.<name>.create` (`type: gke`)" in clusters


def test_a_shared_key_one_type_tightens_is_shown_again_in_its_table() -> None:
    idps = reference_blocks()["identity_providers"]
    shared, oidc = idps.split("### `identity_providers.<name>` (`type: okta`)")[0], idps.split("(`type: oidc`)")[1]
    assert "| `issuer_url` | no |" in shared
    assert "| `issuer_url` | yes |  | Required: the `issuer` of the IdP's discovery document" in oidc
    assert "| `issuer_url` |" not in idps.split("(`type: okta`)")[1].split("(`type: entra_id`)")[0]


def test_a_new_type_appears_with_no_change_to_the_generator() -> None:
    schema = copy.deepcopy(config_schema())
    schema["$defs"]["AksClusterConfig"] = {
        "additionalProperties": False,
        "description": "An existing AKS cluster.",
        "properties": {
            "type": {"const": "aks", "type": "string"},
            "subscription_id": {"description": "The Azure subscription.", "type": "string"},
        },
        "required": ["type", "subscription_id"],
        "type": "object",
    }
    clusters = schema["properties"]["clusters"]["patternProperties"]["^[a-z][a-z0-9-]{0,29}$"]
    clusters["oneOf"].append({"$ref": "#/$defs/AksClusterConfig"})
    block = reference_blocks(schema)["clusters"]
    assert "### `clusters.<name>` (`type: aks`)\n\nAn existing AKS cluster.\n" in block
    assert "| `subscription_id` | yes |  | The Azure subscription. |" in block


def test_a_pipe_or_a_line_break_in_a_description_stays_in_its_cell() -> None:
    schema = copy.deepcopy(config_schema())
    schema["$defs"]["Defaults"]["properties"]["redirect_ports"]["description"] = "a | b\nc"
    (cells,) = rows(reference_blocks(schema)["defaults"])["redirect_ports"]
    assert cells.split(" | ")[2].startswith("a \\| b c.")


def test_a_default_with_backticks_is_shown_as_it_is() -> None:
    schema = copy.deepcopy(config_schema())
    schema["$defs"]["OktaIdp"]["properties"]["group_filter_regex"]["default"] = "a`b"
    assert "| `group_filter_regex` | no | ``a`b`` |" in reference_blocks(schema)["identity_providers"]


def page_with_markers(*names: str, body: str = "old") -> str:
    return "intro\n" + "".join(f"{begin_marker(name)}\n{body}\n{end_marker(name)}\nprose\n" for name in names)


def test_updating_replaces_only_what_is_between_the_markers() -> None:
    blocks = {TOP_LEVEL: "| a |", "clusters": "| b |"}
    page = page_with_markers(TOP_LEVEL, "clusters")
    assert updated(page, blocks) == (
        f"intro\n{begin_marker(TOP_LEVEL)}\n| a |\n{end_marker(TOP_LEVEL)}\nprose\n"
        f"{begin_marker('clusters')}\n| b |\n{end_marker('clusters')}\nprose\n"
    )
    assert updated(updated(page, blocks), blocks) == updated(page, blocks)


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        (page_with_markers(TOP_LEVEL), "no markers for the block 'clusters'"),
        (page_with_markers(TOP_LEVEL, "clusters", "aks"), "markers of an unknown block 'aks'"),
        (page_with_markers(TOP_LEVEL, "clusters", "clusters"), "the block 'clusters' twice"),
        (page_with_markers(TOP_LEVEL) + begin_marker("clusters") + "\nno end\n", "a lone marker of 'clusters'"),
    ],
    ids=["missing", "unknown", "twice", "no end"],
)
def test_markers_that_dont_match_the_blocks_are_an_error(page: str, problem: str) -> None:
    with pytest.raises(ReferenceError) as raised:
        updated(page, {TOP_LEVEL: "a", "clusters": "b"})
    assert problem in str(raised.value)


def test_the_command_checks_and_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "configuration.md"
    page.write_text(page_with_markers(*reference_blocks()), encoding="utf-8")
    assert main(["--check", str(page)]) == 1
    assert "the config reference is stale: run python -m stacks.config.reference --write" in capsys.readouterr().err
    assert main(["--write", str(page)]) == 0
    assert main(["--check", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == updated(page_with_markers(*reference_blocks()), reference_blocks())
    page.write_text("no markers", encoding="utf-8")
    assert main(["--write", str(page)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {page}: no markers for the block 'top-level'")
    assert page.read_text(encoding="utf-8") == "no markers"


def test_the_module_runs_as_a_command_without_cdktf() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from stacks.config.reference import main; code = main(['--check', 'docs/configuration.md']);"
            " sys.exit(code or any(name.split('.')[0] in {'cdktf', 'jsii', 'constructs'} for name in sys.modules))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

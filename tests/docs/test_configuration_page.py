"""docs/configuration.md: the handwritten parts of the config reference agree with the model. The tables
between its markers are generated (tests/stacks/test_reference.py keeps them current); the IdP defaults
table and the rules around them are prose, checked here against the model's own values."""

from __future__ import annotations

import re
from pathlib import Path

from constructs_lib.oidc import IDP_DEFAULTS
from stacks.config.reference import reference_blocks
from stacks.config.schema import config_schema

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")


def handwritten() -> str:
    """The page without its generated blocks."""
    return re.sub(r"<!-- BEGIN generated: .*?<!-- END generated: [^>]*-->", "", PAGE, flags=re.DOTALL)


def section(heading: str) -> str:
    """The handwritten text under `heading`, up to the next heading of its level or above."""
    level = heading.split(" ", 1)[0]
    text = handwritten()
    start = text.index(f"\n{heading}\n")
    ends = [m.start() for m in re.finditer(rf"\n#{{1,{len(level)}}} ", text) if m.start() > start]
    return text[start : ends[0] if ends else len(text)]


def type_values(kind: str) -> list[str]:
    """The `type` values of the schema's identity providers or clusters."""
    node = config_schema()["properties"][kind]
    (entry,) = node["patternProperties"].values()
    return sorted(entry["discriminator"]["mapping"])


def test_the_idp_defaults_table_is_the_models() -> None:
    table = PAGE[PAGE.index("| type | issuer_url | user_claim |") :].split("\n\n", 1)[0]
    for idp_type, defaults in IDP_DEFAULTS.items():
        (row,) = [line for line in table.splitlines() if line.startswith(f"| `{idp_type.value}` |")]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert f"`{defaults.user_claim}`" == cells[2], row
        assert (f"`{defaults.groups_claim}`" if defaults.groups_claim else "none") == cells[3].split(":")[0], row
        scopes = " ".join(scope.rsplit("/", 1)[-1] for scope in defaults.scopes)
        documented = re.sub(
            r"the `userinfo\.(\w+)` and `userinfo\.(\w+)` scope URLs", r"userinfo.\1 userinfo.\2", cells[4]
        )
        assert documented.replace("`", "").replace(" + ", " ") == scopes, row
        if defaults.issuer_url:
            assert f"`{defaults.issuer_url}`" in cells[1], row


def test_the_idp_defaults_table_has_a_row_for_every_idp_type() -> None:
    table = PAGE[PAGE.index("| type | issuer_url | user_claim |") :].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert rows == [idp_type.value for idp_type in IDP_DEFAULTS]
    assert sorted(rows) == type_values("identity_providers")


def test_the_rules_name_every_type_of_the_model() -> None:
    idp_rules = section("### Rules of every IdP type")
    (idp_types,) = [line for line in idp_rules.splitlines() if line.startswith("- `type`:")]
    assert sorted(re.findall(r"`([a-z_]+)`", idp_types)[1:]) == type_values("identity_providers")
    cluster_rules = section("### Rules of every cluster type")
    (cluster_types,) = [line for line in cluster_rules.splitlines() if line.startswith("- `type`:")]
    assert sorted(re.findall(r"`([a-z_]+)`", cluster_types)[1:]) == type_values("clusters")


def test_every_key_the_rules_name_is_a_key_of_the_model() -> None:
    generated = "\n".join(reference_blocks().values())
    keys = set(re.findall(r"^\| `([a-z_]+)` \|", generated, flags=re.MULTILINE))
    for heading in ("### Rules of every IdP type", "### Rules of every cluster type", "## `access`"):
        named = re.findall(r"^- `([a-z_]+)`", section(heading), flags=re.MULTILINE)
        assert named, heading
        assert set(named) - keys == set(), heading

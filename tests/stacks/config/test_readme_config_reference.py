"""The README's config reference is checked against the config model, so the two can't drift."""

from __future__ import annotations

import enum
import re
import typing
from pathlib import Path

from pydantic import BaseModel

from constructs_lib.oidc import IDP_DEFAULTS
from stacks.config.access import AccessRule
from stacks.config.backend import CloudBackend, LocalBackend
from stacks.config.clusters import EksClusterConfig, EksCreate, GkeClusterConfig, GkeCreate, KubernetesClusterConfig
from stacks.config.config_file import ConfigFile, Defaults
from stacks.config.identity_providers import EntraIdIdp, GoogleWorkspaceIdp, JumpCloudIdp, OktaIdp
from stacks.config.workforce_pool import WorkforcePool

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
REFERENCE = README[README.index("## Config reference") : README.index("## Stacks and outputs")]


def documented_models() -> list[type[BaseModel]]:
    models = [
        ConfigFile,
        LocalBackend,
        CloudBackend,
        Defaults,
        OktaIdp,
        EntraIdIdp,
        GoogleWorkspaceIdp,
        JumpCloudIdp,
        EksClusterConfig,
        GkeClusterConfig,
        KubernetesClusterConfig,
        EksCreate,
        GkeCreate,
        AccessRule,
        WorkforcePool,
    ]
    return models


def test_every_config_key_is_in_the_reference() -> None:
    missing = [
        f"{cls.__name__}.{name}"
        for cls in documented_models()
        for name in cls.model_fields
        if f"`{name}`" not in REFERENCE
    ]
    assert missing == []


def test_every_key_in_the_reference_tables_exists_in_the_model() -> None:
    known = {name for cls in documented_models() for name in cls.model_fields}
    first_cells = re.findall(r"^\| `([a-z_]+)`", REFERENCE, flags=re.MULTILINE)
    type_names = {"okta", "entra_id", "google_workspace", "jumpcloud"}
    assert {cell for cell in first_cells if cell not in type_names} - known == set()


def test_idp_type_literals_are_documented() -> None:
    for cls in (OktaIdp, EntraIdIdp, GoogleWorkspaceIdp, JumpCloudIdp):
        (tag,) = typing.get_args(cls.model_fields["type"].annotation)
        assert f"`{tag}`" in REFERENCE


def _rows(key: str) -> list[str]:
    return re.findall(rf"^\| `{re.escape(key)}` \|.*$", REFERENCE, flags=re.MULTILINE) + re.findall(
        rf"^\| `[a-z_]+` \| `{re.escape(key)}` \|.*$", REFERENCE, flags=re.MULTILINE
    )


def _as_written(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value.value if isinstance(value, enum.Enum) else value)


def test_every_documented_default_is_the_models_default() -> None:
    wrong = []
    for cls in documented_models():
        for name, field in cls.model_fields.items():
            default = field.get_default(call_default_factory=True)
            if field.is_required() or default in (None, [], "") or isinstance(default, BaseModel) or name == "type":
                continue
            if not any(f"`{_as_written(default)}`" in row for row in _rows(name)):
                wrong.append(f"{cls.__name__}.{name}: README rows {_rows(name)} do not show `{_as_written(default)}`")
    assert wrong == []


def test_every_closed_choice_is_documented_with_all_its_values() -> None:
    missing = []
    for cls in documented_models():
        for name, field in cls.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
                for member in annotation:
                    if not any(f"`{member.value}`" in row for row in _rows(name)):
                        missing.append(f"{cls.__name__}.{name}: `{member.value}`")
    assert missing == []


def test_the_idp_defaults_table_is_the_models() -> None:
    table = README[README.index("| type | issuer_url | user_claim |") :].split("\n\n", 1)[0]
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


def section(heading: str) -> str:
    """The reference's text under `### <heading>`, up to the next heading of that level."""
    start = REFERENCE.index(f"### {heading}\n")
    end = REFERENCE.find("\n### ", start + 1)
    return REFERENCE[start : end if end != -1 else len(REFERENCE)]


SECTIONS: dict[str, list[type[BaseModel]]] = {
    "`identity_providers.<name>`": [OktaIdp, EntraIdIdp, GoogleWorkspaceIdp, JumpCloudIdp],
    "`clusters.<name>`": [EksClusterConfig, GkeClusterConfig, EksCreate, GkeCreate],
    "`access[]`": [AccessRule],
    "`google_workforce_pool`": [WorkforcePool],
    "`backend`": [LocalBackend, CloudBackend],
    "`defaults`": [Defaults],
}


def test_every_key_is_in_the_section_of_its_model() -> None:
    missing = [
        f"{cls.__name__}.{name} (in ### {heading})"
        for heading, classes in SECTIONS.items()
        for cls in classes
        for name in cls.model_fields
        if f"`{name}`" not in section(heading)
    ]
    assert missing == []


def test_the_reference_shows_the_round_2_keys_where_they_apply() -> None:
    identity_providers = section("`identity_providers.<name>`")
    assert re.search(r"^\| `refresh_tokens` \| `false` \|", identity_providers, flags=re.MULTILINE)
    clusters = section("`clusters.<name>`")
    assert re.search(r"^\| `public_access_cidrs` \| gke, existing", clusters, flags=re.MULTILINE)

"""The README's config reference is checked against the config model, so the two can't drift."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from stacks.config import models as model

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
REFERENCE = README[README.index("## Config reference") : README.index("## Stacks and outputs")]


def documented_models() -> list[type[BaseModel]]:
    models = [
        model.ConfigFile,
        model.LocalBackend,
        model.CloudBackend,
        model.Defaults,
        model.OktaIdp,
        model.EntraIdIdp,
        model.GoogleWorkspaceIdp,
        model.JumpCloudIdp,
        model.EksClusterConfig,
        model.GkeClusterConfig,
        model.EksCreate,
        model.GkeCreate,
        model.AccessRule,
        model.WorkforcePool,
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
    for cls in (model.OktaIdp, model.EntraIdIdp, model.GoogleWorkspaceIdp, model.JumpCloudIdp):
        (tag,) = typing.get_args(cls.model_fields["type"].annotation)
        assert f"`{tag}`" in REFERENCE


def section(heading: str) -> str:
    """The reference's text under `### <heading>`, up to the next heading of that level."""
    start = REFERENCE.index(f"### {heading}\n")
    end = REFERENCE.find("\n### ", start + 1)
    return REFERENCE[start : end if end != -1 else len(REFERENCE)]


SECTIONS: dict[str, list[type[BaseModel]]] = {
    "`identity_providers.<name>`": [model.OktaIdp, model.EntraIdIdp, model.GoogleWorkspaceIdp, model.JumpCloudIdp],
    "`clusters.<name>`": [model.EksClusterConfig, model.GkeClusterConfig, model.EksCreate, model.GkeCreate],
    "`access[]`": [model.AccessRule],
    "`google_workforce_pool`": [model.WorkforcePool],
    "`backend`": [model.LocalBackend, model.CloudBackend],
    "`defaults`": [model.Defaults],
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

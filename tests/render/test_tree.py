"""All-or-nothing writes: the output folder is swapped in whole, the temporary folder never outlives a
run, a failure midway leaves the previous render as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_support import FIXTURES, tree_snapshot
from tool_support import IN_CI

from render import render_step, tree
from stacks.config import load_config
from stacks.errors import UserError

CONFIG = load_config(FIXTURES / "oidc.yaml")
OUTPUTS = FIXTURES / "outputs.cdktf.json"


def render(out: Path) -> list[str]:
    lines: list[str] = []
    render_step.render(CONFIG, outputs=OUTPUTS, client_configs={}, out_dir=out, log=lines.append)
    return lines


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "rendered"
    render(out)
    (out / "README.md").write_text("the previous render", encoding="utf-8")
    return out


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a").write_text("a", encoding="utf-8")
    (second / "b").write_text("b", encoding="utf-8")
    if not tree.exchange(first, second):
        if IN_CI:
            pytest.fail("CI runs on Linux, whose renameat2 offers the atomic exchange")
        pytest.skip("this system or filesystem has no atomic exchange: the rename fallback is tested below")
    assert [path.name for path in first.iterdir()] == ["b"]
    assert [path.name for path in second.iterdir()] == ["a"]


def test_without_exchange_the_folder_is_renamed_aside(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tree, "exchange", lambda first, second: False)
    render(previous)
    assert (previous / "README.md").read_text(encoding="utf-8") != "the previous render"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["rendered"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_midway_leaves_the_previous_render(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    before = tree_snapshot(tmp_path)
    write = tree._write

    def write_then_fail(root: Path, files: dict[str, tree.File]) -> None:
        write(root, dict(list(files.items())[:3]))  # a partial tree in the temporary folder
        raise failure

    monkeypatch.setattr(tree, "_write", write_then_fail)
    with pytest.raises(UserError if isinstance(failure, OSError) else KeyboardInterrupt) as raised:
        render(previous)
    if isinstance(raised.value, UserError):
        assert "cannot write the render: [Errno 28] No space left on device" in raised.value.render()
    assert tree_snapshot(tmp_path) == before


def test_the_render_is_marked_as_replaceable(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    lines = render(out)
    assert (out / tree.MARKER).read_text(encoding="utf-8") == tree.MARKER_TEXT
    assert lines[-1] == f"wrote 12 files for 2 stacks into {out} (1 warning)"

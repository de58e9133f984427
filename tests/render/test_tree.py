"""All-or-nothing writes: the output folder is swapped in whole, the temporary folder never outlives a
run, a failure midway leaves the previous render as it was."""

from __future__ import annotations

import errno
import stat
import sys
from pathlib import Path

import pytest
from render_support import FIXTURES, run_render, tree_snapshot
from tool_support import IN_CI, skip_unless

from render import render_step, tree
from render.outputs_reader import OutputsFiles
from stacks.config import load_config
from stacks.errors import UserError

ON_LINUX = sys.platform.startswith("linux")
CONFIG = load_config(FIXTURES / "oidc.yaml")
OUTPUTS = FIXTURES / "outputs.cdktf.json"


def render(out: Path) -> list[str]:
    lines: list[str] = []
    render_step.render(CONFIG, outputs=OutputsFiles(OUTPUTS), client_configs={}, out_dir=out, log=lines.append)
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
        if IN_CI or ON_LINUX:
            pytest.fail("Linux's renameat2 offers the atomic exchange (glibc 2.28+, local filesystems)")
        pytest.skip("this system or filesystem has no atomic exchange: the rename fallback is tested below")
    assert [path.name for path in first.iterdir()] == ["b"]
    assert [path.name for path in second.iterdir()] == ["a"]


def test_a_render_over_the_previous_one_swaps_them_in_one_exchange(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output folder never stops existing: on Linux the new tree and the previous render trade places
    in one atomic step, no rename aside."""
    exchanges: list[tuple[Path, Path, bool]] = []
    exchange = tree.exchange

    def recorded(first: Path, second: Path) -> bool:
        swapped = exchange(first, second)
        exchanges.append((first, second, swapped))
        return swapped

    monkeypatch.setattr(tree, "exchange", recorded)
    render(previous)
    assert [second for _, second, _ in exchanges] == [previous]
    if ON_LINUX:
        assert exchanges[0][2] is True
    assert (previous / "README.md").read_text(encoding="utf-8") != "the previous render"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["rendered"]


def test_an_unexpected_error_of_the_exchange_is_raised_not_fallen_back_from(tmp_path: Path) -> None:
    """Only "this system or filesystem can't" falls back to renaming; any other error (here: the second
    path is gone) is the error it is."""
    skip_unless(ON_LINUX or sys.platform == "darwin", "no atomic exchange on this system")
    first, missing = tmp_path / "first", tmp_path / "missing"
    first.mkdir()
    with pytest.raises(OSError) as raised:
        tree.exchange(first, missing)
    assert raised.value.errno == errno.ENOENT
    assert raised.value.filename == str(missing)
    assert first.is_dir()


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
    assert lines[-1] == f"wrote 14 files for 2 stacks into {out} (1 warning)"


SECRET_MODES = {
    "data-gws/kubeconfig.yaml": 0o600,
    "data-gws/setup-k8s-oidc.sh": 0o700,
    "all-clusters/gws.sh": 0o700,
    "admin/data/configure-identity-service.sh": 0o700,
}
"""The example's files that hold the Google Workspace client secret (contract 5: the owner's only)."""


@pytest.mark.parametrize("umask", [0o000, 0o077, 0o022, 0o027], ids=["000", "077", "022", "027"])
def test_folders_and_files_have_the_renders_modes_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    """Contract 5, round 3: folders 0755, files 0644, scripts 0755, and the secret modes — never widened
    by a umask of 000 (world-writable) nor narrowed by 077 (READMEs nobody else can read)."""
    out = tmp_path / "rendered"
    for _ in range(2):  # a new folder, then one swapped in over the previous render
        result = run_render(FIXTURES / "oidc.yaml", OUTPUTS, out, umask=umask)
        assert result.returncode == 0, result.stderr
        modes = {
            str(path.relative_to(out)): stat.S_IMODE(path.lstat().st_mode) for path in [out, *sorted(out.rglob("*"))]
        }
        expected = {
            name: 0o755 if (out / name).is_dir() else SECRET_MODES.get(name, 0o755 if name.endswith(".sh") else 0o644)
            for name in modes
        }
        assert {name: oct(mode) for name, mode in modes.items()} == {name: oct(mode) for name, mode in expected.items()}
        assert modes["."] == modes["admin"] == modes["admin/data"] == 0o755
        assert modes["README.md"] == modes[tree.MARKER] == 0o644

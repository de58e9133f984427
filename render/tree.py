"""Replace the output folder all at once (DESIGN.md contract 5).

The new tree is built in a hidden temporary folder beside the output folder (same filesystem), then
swapped in. Where the system can exchange two paths atomically (Linux renameat2, macOS renamex_np)
the output folder never stops existing; elsewhere it is renamed aside first. Either way it holds the
whole previous render or the whole new one, and the temporary folder goes whatever happens short of
a kill.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stacks.errors import Problem, UserError

MARKER = ".k8s-oidc-render"
"""Written into every render: only a folder holding it (or an empty one) is ever replaced."""
MARKER_TEXT = "Written by `python main.py render`; this folder is replaced whole on every render.\n"
FOLDER_MODE = 0o755
"""Every folder of a render: anyone may read it, only its owner change it."""


@dataclass(frozen=True)
class File:
    text: str
    mode: int
    """Its permission bits exactly, whatever the umask."""


def check_out_dir(out_dir: Path) -> None:
    """Refuse an --out that is not ours to replace, before anything is rendered."""
    try:
        problem = _out_dir_problem(out_dir)
    except OSError as error:
        problem = f"cannot inspect it: {error}"
    if problem:
        raise UserError(str(out_dir), [Problem("--out", problem)])


def _out_dir_problem(out_dir: Path) -> str | None:
    if not out_dir.parent.is_dir():
        return f"its parent folder {out_dir.parent} does not exist"
    if not out_dir.exists():
        return None
    if not out_dir.is_dir():
        return "exists and is not a folder"
    if (out_dir / MARKER).is_file() or not any(out_dir.iterdir()):
        return None
    return (
        f"is not empty and holds no {MARKER}, so it was not written by the render step; refusing to "
        "replace it (choose another folder, or empty this one)"
    )


def write_tree(out_dir: Path, files: Mapping[str, File]) -> None:
    """Make `out_dir` hold exactly `files` (relative POSIX paths) plus the marker."""
    holder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.render-tmp-", dir=out_dir.parent))
    try:
        new = holder / "new"
        _write(new, {**files, MARKER: File(MARKER_TEXT, 0o644)})
        _swap_in(new, out_dir, holder)
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def _write(root: Path, files: Mapping[str, File]) -> None:
    made: set[Path] = set()
    _make_folder(root, made)
    for relative, file in files.items():
        path = root / relative
        for folder in reversed(path.relative_to(root).parents[:-1]):
            _make_folder(root / folder, made)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            # Exactly the file's mode, whatever the umask: it would narrow it (077: READMEs nobody else
            # can read) or leave it wide (000: files anyone can change).
            os.fchmod(descriptor, file.mode)
            stream.write(file.text.encode())


def _make_folder(folder: Path, made: set[Path]) -> None:
    """`folder` (whose parent exists) as FOLDER_MODE, whatever the umask."""
    if folder in made:
        return
    folder.mkdir(exist_ok=True)
    folder.chmod(FOLDER_MODE)
    made.add(folder)


def _swap_in(new: Path, out_dir: Path, holder: Path) -> None:
    if not out_dir.exists():
        new.rename(out_dir)
    elif not exchange(new, out_dir):
        out_dir.rename(holder / "old")
        new.rename(out_dir)
    # After an exchange `new` holds the previous render; it goes with the holder.


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux <linux/fs.h>
_RENAME_SWAP = 2  # macOS <stdio.h>


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system or filesystem cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    a, b = os.fsencode(first), os.fsencode(second)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(a, b, _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))

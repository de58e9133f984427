"""Input files read within bounds (DESIGN.md contract 5): regular files only, at most 16 MiB — the config,
local Terraform state, outputs, ClientConfigs, ID tokens.

A path given is input, and so is each entry of an outputs folder: a FIFO, a device or a symbolic link
to `/dev/zero` would be read forever. Each file is opened without blocking (a FIFO's open waits for a
writer), its kind checked on the open descriptor (no window between a check and the open), and at most
one byte past the bound is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from stacks.errors import Problem
from stacks.json_input import JsonInputError, parse_json

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""The most an input file may hold: a hundred stacks' outputs take well under 1 MiB."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(Exception):
    """The file can't be read as input; the message says why (without naming the file)."""


class MissingInputFile(InputFileError):
    """There is no file at the path: a reader may say where it looked, or what to pass instead."""


class InputTooLarge(InputFileError):
    """The file holds more than the reader's bound: a reader may say what the file should hold instead."""


def read_input_file(path: Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file at `path` (a symbolic link to one is followed), at most `limit`;
    `InputFileError` for anything else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise MissingInputFile("no such file") from None
    except OSError as error:
        raise InputFileError(f"cannot read: {error.strerror or error}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            link = " (through a symbolic link)" if path.is_symlink() else ""
            raise InputFileError(f"is {kind}{link}, not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise InputFileError(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise InputTooLarge(f"is larger than {size_text(limit)}: at most {size_text(limit)} of input is read")
    return data


def read_json_file(path: Path, *, limit: int = MAX_INPUT_BYTES) -> Any:
    """The JSON value of the file at `path`, read and parsed within bounds; `InputFileError` or
    `stacks.json_input.JsonInputError` saying what is wrong."""
    return parse_json(read_input_file(path, limit=limit))


def json_or_problem(path: Path, where: str, problems: list[Problem]) -> Any:
    """`read_json_file(path)` for a reader that names every problem at once: None when the file can't be
    read, its problem recorded at `where` (a key path of the input)."""
    try:
        return read_json_file(path)
    except (InputFileError, JsonInputError) as error:
        problems.append(Problem(where, f"{path}: {error}"))
        return None


def size_text(count: int) -> str:
    """A bound as people write it: "16 MiB", "1 MiB", "4,096 bytes"."""
    mebibytes = count / (1024 * 1024)
    return f"{mebibytes:g} MiB" if mebibytes >= 1 else f"{count:,} bytes"

"""Input files read within bounds (stacks.input_files): regular files only — a FIFO or a symbolic link
to /dev/zero is refused at once, never read forever — and at most 16 MiB."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from time_guard import within

from stacks.input_files import MAX_INPUT_BYTES, InputFileError, read_input_file, read_json_file


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe nobody writes to; a reader blocked opening it is let go at the end."""
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    yield path
    with contextlib.suppress(OSError):  # ENXIO: no reader waiting, nothing to wake
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # wakes a reader stuck in open()


def refusal(path: Path, **options: int) -> str:
    with pytest.raises(InputFileError) as raised:
        within(10, lambda: read_input_file(path, **options))
    return str(raised.value)


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    path.write_text('{"prod": {}}', encoding="utf-8")
    assert read_json_file(path) == {"prod": {}}


def test_a_symbolic_link_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("[1]", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert read_json_file(link) == [1]


def test_a_fifo_is_refused_without_waiting_for_a_writer(fifo: Path) -> None:
    assert refusal(fifo) == "is a FIFO (named pipe), not a regular file"


def test_a_symbolic_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    assert refusal(link) == "is a character device (through a symbolic link), not a regular file"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path) == "is a folder, not a regular file"


def test_a_missing_file_is_named_so(tmp_path: Path) -> None:
    assert refusal(tmp_path / "missing.json") == "no such file"


def test_a_file_at_the_bound_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"7" * 1000)
    assert read_input_file(path, limit=1000) == b"7" * 1000
    path.write_bytes(b"7" * 1001)
    assert refusal(path, limit=1000) == "is larger than 1,000 bytes: at most 1,000 bytes of input is read"


def test_the_real_bound_is_16_mib(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(MAX_INPUT_BYTES)  # sparse: 16 MiB of zero bytes, written in no time
    assert len(read_input_file(path)) == MAX_INPUT_BYTES
    with path.open("ab") as file:
        file.write(b" ")
    assert refusal(path) == "is larger than 16 MiB: at most 16 MiB of input is read"

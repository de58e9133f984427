"""Where outputs come from (render/outputs_reader.py): the two forms of `--outputs` read alike, a source is
named by what messages should name, and a reader that needs every stack gets every problem at once. The
checks of what the outputs hold: test_output_checks.py; bad files end to end: test_bad_input.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_support import FIXTURES, as_terraform_output, write_json

from render.outputs_reader import OutputsFiles, read_complete
from stacks.errors import UserError


def test_the_outputs_file_and_the_folder_of_terraform_output_files_read_alike() -> None:
    from_file = OutputsFiles(FIXTURES / "outputs.cdktf.json").read()
    from_folder = OutputsFiles(FIXTURES / "terraform-output").read()
    assert from_file.problems == from_folder.problems == []
    assert from_file.stacks == from_folder.stacks
    assert from_file.stacks is not None and set(from_file.stacks) == {"prod-okta-main", "data-gws"}


def test_a_source_is_named_by_its_path() -> None:
    assert OutputsFiles(FIXTURES / "terraform-output").name == str(FIXTURES / "terraform-output")


def test_an_unreadable_stack_is_named_and_the_others_still_read(tmp_path: Path) -> None:
    outputs = json.loads((FIXTURES / "outputs.cdktf.json").read_text(encoding="utf-8"))
    write_json(tmp_path / "prod-okta-main.json", as_terraform_output(outputs["prod-okta-main"]))
    (tmp_path / "data-gws.json").write_text("{not json", encoding="utf-8")
    read = OutputsFiles(tmp_path).read()
    assert read.stacks is not None
    assert read.stacks["data-gws"] is None
    assert read.stacks["prod-okta-main"] == outputs["prod-okta-main"]
    assert [problem.path for problem in read.problems] == ["data-gws"]
    with pytest.raises(UserError) as raised:
        read_complete(OutputsFiles(tmp_path))
    assert (raised.value.source, [problem.path for problem in raised.value.problems]) == (str(tmp_path), ["data-gws"])


def test_nothing_readable_is_no_stacks_at_all(tmp_path: Path) -> None:
    read = OutputsFiles(tmp_path / "missing.json").read()
    assert read.stacks is None
    assert len(read.problems) == 1

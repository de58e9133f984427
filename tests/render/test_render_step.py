"""The render step's order (render/render_step.py): the outputs are read only once `--out` is known to be
replaceable, and bad outputs leave the previous render as it was; what it logs. The files themselves are
the artifact modules' tests (test_developer_files.py, test_admin.py, test_guides.py …)."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_support import FIXTURES, tree_snapshot

from render.outputs_reader import OutputsFiles, OutputsRead
from render.render_step import render
from stacks.config import load_config
from stacks.errors import Problem, UserError

CONFIG = load_config(FIXTURES / "oidc.yaml")
OUTPUTS = OutputsFiles(FIXTURES / "outputs.cdktf.json")


class CountingSource:
    """A source that counts its reads (Terraform Cloud: each read is a hundred requests), then reads `inner`
    or, when `refusal` is set, raises it as a source that can't be read at all does."""

    name = "a counting source"

    def __init__(self, refusal: UserError | None = None) -> None:
        self.reads = 0
        self.refusal = refusal

    def read(self) -> OutputsRead:
        self.reads += 1
        if self.refusal is not None:
            raise self.refusal
        return OUTPUTS.read()


def test_the_outputs_are_read_once_the_out_folder_is_known_to_be_replaceable(tmp_path: Path) -> None:
    foreign = tmp_path / "not-a-render"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    source = CountingSource()
    with pytest.raises(UserError) as raised:
        render(CONFIG, outputs=source, client_configs={}, out_dir=foreign, log=lambda line: None)
    assert raised.value.problems[0].path == "--out"
    assert source.reads == 0
    render(CONFIG, outputs=source, client_configs={}, out_dir=tmp_path / "out", log=lambda line: None)
    assert source.reads == 1


def test_a_source_that_cannot_be_read_leaves_the_previous_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(CONFIG, outputs=OUTPUTS, client_configs={}, out_dir=out, log=lambda line: None)
    before = tree_snapshot(tmp_path)
    refusal = UserError("Terraform Cloud app.terraform.io/acme", [Problem("prod-okta-main", "workspace: 403")])
    with pytest.raises(UserError) as raised:
        render(CONFIG, outputs=CountingSource(refusal), client_configs={}, out_dir=out, log=lambda line: None)
    assert raised.value is refusal
    assert tree_snapshot(tmp_path) == before


def test_bad_outputs_are_named_by_the_sources_name(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        render(CONFIG, outputs=OutputsFiles(tmp_path / "missing.json"), client_configs={}, out_dir=tmp_path / "out")
    assert raised.value.source == str(tmp_path / "missing.json")
    assert not (tmp_path / "out").exists()


def test_it_logs_each_stacks_files_and_the_total(tmp_path: Path) -> None:
    lines: list[str] = []
    out = tmp_path / "out"
    summary = render(CONFIG, outputs=OUTPUTS, client_configs={}, out_dir=out, log=lines.append)
    assert lines[0].startswith("warning: data: GKE server taken from the cluster output")
    assert lines[1:] == [
        "rendered prod-okta-main: setup-k8s-oidc.sh, kubeconfig.yaml, rbac.yaml, README.md",
        "rendered data-gws: setup-k8s-oidc.sh, kubeconfig.yaml, rbac.yaml, README.md",
        f"wrote 14 files for 2 stacks into {out} (1 warning)",
    ]
    assert (summary.stacks, summary.files, len(summary.warnings)) == (2, 14, 1)

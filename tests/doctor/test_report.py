"""The report: one aligned line per check, `--json` as a list of objects, the exit status."""

from __future__ import annotations

import io
import json
import os

import pytest

from doctor.report import Report, Status


def test_lines_align_status_and_identity_provider() -> None:
    out = io.StringIO()
    report = Report(out, json_output=False, name_width=9)
    report.add("jc", "issuer", Status.OK, "fine")
    report.add("okta-main", "discovery", Status.FAIL, "broken; fix it")
    assert out.getvalue().splitlines() == [
        "ok    jc         issuer: fine",
        "FAIL  okta-main  discovery: broken; fix it",
    ]
    assert report.finish() == 1


@pytest.mark.parametrize("status", [Status.OK, Status.NOTE, Status.WARN, Status.SKIP])
def test_only_a_failure_fails_the_run(status: Status) -> None:
    report = Report(io.StringIO(), json_output=False, name_width=2)
    report.add("jc", "x", status, "y")
    assert report.finish() == 0


def test_json_prints_one_list_at_the_end() -> None:
    out = io.StringIO()
    report = Report(out, json_output=True, name_width=2)
    report.add("jc", "PKCE", Status.FAIL, "PKCE not enforced")
    report.add("jc", "scopes", Status.WARN, "groups missing")
    assert out.getvalue() == ""
    assert report.finish() == 1
    assert json.loads(out.getvalue()) == [
        {"identity_provider": "jc", "check": "PKCE", "status": "FAIL", "message": "PKCE not enforced"},
        {"identity_provider": "jc", "check": "scopes", "status": "warn", "message": "groups missing"},
    ]


def test_a_closed_output_is_not_an_error() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (`| head -1`) is gone
    with os.fdopen(write_end, "w") as out:
        report = Report(out, json_output=False, name_width=2)
        report.add("jc", "discovery", Status.FAIL, "cannot reach it")
        report.add("jc", "issuer", Status.OK, "fine")
        assert report.finish() == 1
        assert len(report.results) == 2

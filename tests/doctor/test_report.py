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


HOSTILE = (
    "bad\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\r\nok    jc  fake: all good\u202eevil\u2066\x9b2J\u200b"
    "\U000e0041"
)
"""What a hostile IdP may put into an `error_description` or a discovery value: an OSC 8 hyperlink, a
carriage return and newline that fake a line of their own, bidi overrides and isolates, a C1 CSI, a
zero-width space and a tag character."""


def test_server_supplied_text_is_shown_escaped_and_kept_as_data_in_json() -> None:
    out = io.StringIO()
    report = Report(out, json_output=False, name_width=2)
    report.add("jc", "PKCE", Status.OK, f"a wrong code_verifier was refused (invalid_grant: {HOSTILE})")
    (line,) = out.getvalue().splitlines()
    assert line == (
        "ok    jc  PKCE: a wrong code_verifier was refused (invalid_grant: bad\\x1b]8;;https://evil.example\\x07click"
        "\\x1b]8;;\\x07\\x0d\\x0aok    jc  fake: all good\\u202eevil\\u2066\\x9b2J\\u200b\\U000e0041)"
    )
    assert line.isprintable()
    json_out = io.StringIO()
    json_report = Report(json_out, json_output=True, name_width=2)
    json_report.add("jc", "PKCE", Status.OK, HOSTILE)
    json_report.finish()
    assert json.loads(json_out.getvalue())[0]["message"] == HOSTILE
    assert json_out.getvalue().isascii()  # JSON's own escapes: no raw control character reaches the terminal


@pytest.mark.parametrize("text", ["plain words", "é, ü, 日本語, emoji 😀, a → b, a … b"])
def test_printable_text_is_shown_as_it_is(text: str) -> None:
    out = io.StringIO()
    Report(out, json_output=False, name_width=2).add("jc", "x", Status.NOTE, text)
    assert out.getvalue() == f"note  jc  x: {text}\n"

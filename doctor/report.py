"""What doctor found: one result per check, printed as a line (or, with `--json`, as one JSON list).

A line is `<status>  <identity provider>  <check>: <message>`, the message saying for a failure what
to change (a config key or an IdP console setting). The exit status follows from the statuses.

Messages quote what servers said (an `error_description`, discovery values): input, which must not
drive the terminal. A line shows every character that would (a control character, C1, a bidirectional
override or any other invisible one) as an escape (`terminal_text`); `--json` keeps the values as
data, escaped as JSON escapes them.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
from dataclasses import asdict, dataclass
from typing import TextIO


class Status(enum.StrEnum):
    """How one check came out; only FAIL makes the run fail."""

    OK = "ok"
    NOTE = "note"
    """Worth knowing, nothing to change (e.g. Entra doesn't advertise PKCE, k8s-oidc forces S256)."""
    WARN = "warn"
    """Probably fine, check it (e.g. a scope the discovery document doesn't list)."""
    FAIL = "FAIL"
    """Engineers' sign-ins will fail, or are unsafe, until this is changed."""
    SKIP = "skip"
    """Not checked, and why (e.g. an issuer known only after deploy, without --outputs)."""


def terminal_text(text: str) -> str:
    """`text` as a terminal may show it: each character that is not printable (C0 and C1 controls, DEL,
    bidirectional overrides and isolates, zero-width and other format characters, line and paragraph
    separators) as the escape `\\xNN`, `\\uNNNN` or `\\UNNNNNNNN` of its code point (a tab and a newline too,
    so that a value can't start a line of its own); a space stays a space."""
    return "".join(char if char.isprintable() or char == " " else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


EXIT_OK = 0
EXIT_FAILED = 1


@dataclass(frozen=True)
class CheckResult:
    identity_provider: str
    check: str
    status: Status
    message: str


class Report:
    """Collects results; in text mode prints each as it comes, so a slow check shows progress."""

    def __init__(self, out: TextIO, *, json_output: bool, name_width: int) -> None:
        self._out = out
        self._json = json_output
        self._name_width = name_width
        self._closed = False
        self.results: list[CheckResult] = []

    def add(self, identity_provider: str, check: str, status: Status, message: str) -> None:
        result = CheckResult(identity_provider, check, status, message)
        self.results.append(result)
        if not self._json:
            self._print(self.line(result))

    def line(self, result: CheckResult) -> str:
        line = f"{result.status:<4}  {result.identity_provider:<{self._name_width}}  {result.check}: {result.message}"
        return terminal_text(line)

    def finish(self) -> int:
        """Print the JSON list when asked for; the exit status: 1 when a check failed, else 0."""
        if self._json:
            rows = [{**asdict(result), "status": str(result.status)} for result in self.results]
            self._print(json.dumps(rows, indent=2))
        return EXIT_FAILED if any(result.status is Status.FAIL for result in self.results) else EXIT_OK

    def _print(self, text: str) -> None:
        if self._closed:
            return
        try:
            print(text, file=self._out, flush=True)
        except BrokenPipeError:
            # A closed stdout (`doctor | head -1`) is not an error: print no more, and point the stream
            # at /dev/null so that the interpreter's last flush at exit stays quiet too.
            self._closed = True
            with contextlib.suppress(OSError, ValueError):  # not a real file (a test's StringIO)
                os.dup2(os.open(os.devnull, os.O_WRONLY), self._out.fileno())

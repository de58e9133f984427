"""Is a string an unresolved cdktf token (another resource's attribute, a variable…)?

Props validate literal values eagerly and leave tokens to Terraform. `cdktf.Token.is_unresolved`
answers through a jsii round trip per value (six per pair stack); cdktf is archived and frozen at
0.21, so its string-token encoding (`${TfToken[TOKEN.n]}`) is stable and is checked here in
Python. tests/constructs/test_tokens.py holds the two to agreement.
"""

from __future__ import annotations

_STRING_TOKEN_MARKER = "${TfToken["  # noqa: S105 - a token marker, not a password


def is_unresolved(value: str) -> bool:
    """True when `value` holds a cdktf string token anywhere (e.g. `https://${TfToken[TOKEN.7]}`)."""
    return _STRING_TOKEN_MARKER in value


def is_literal(value: str) -> bool:
    """The value is known at synth time, so props can validate it now."""
    return not is_unresolved(value)

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


KNOWN_AFTER_DEPLOY = "${TfToken[k8s-oidc: known after deploy]}"
"""A stand-in for a value only Terraform will know (a client id the IdP application gets, the cluster's
endpoint), written as a cdktf string token so that props leave it alone as they leave real tokens: with it,
the config model builds a pair's props before anything is deployed, and its literal values are checked as
synth will check them. No config value can hold it (`${` is refused there)."""

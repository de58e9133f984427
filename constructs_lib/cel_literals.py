"""Data written into CEL expressions so that it always means itself (cdktf-free).

AKS takes a JWT authenticator's claim mappings as CEL expressions only, and k8s-oidc writes a prefix and
claim names from the config into them. A prefix `' + claims.sub + '` pasted into an expression as it is
would make the username whatever the token says; a claim name such as `https://acme.com/groups` (Auth0's
namespaced claims) is no CEL identifier. So data only ever enters an expression as a string literal
(`cel_string`), and claims are reached by `claims.<name>` only when the name is an identifier, by
`claims['<name>']` otherwise (`claim_value`).
"""

from __future__ import annotations

import re
import unicodedata

_IDENTIFIER = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
RESERVED_WORDS = frozenset(
    {
        *("true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if"),
        *("import", "let", "loop", "package", "namespace", "return", "var", "void", "while"),
    }
)
"""CEL's literals and reserved words: never a field name after `.` (the CEL language definition)."""

_SHORT_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})
"""Controls, format characters (bidirectional overrides, zero-width joiners), private-use and unassigned
code points, line and paragraph separators: written as `\\u`/`\\U` escapes, so the expression text shows
them instead of hiding or reordering what follows."""


def cel_string(value: str) -> str:
    """`value` as a single-quoted CEL string literal that evaluates to exactly `value`.

    Quotes and backslashes are escaped, as are line breaks and every invisible or reordering character;
    printable text (any script) stays as it is. `ValueError` for an unpaired surrogate, which no CEL
    string can hold."""
    written = []
    for character in value:
        if character in _SHORT_ESCAPES:
            written.append(_SHORT_ESCAPES[character])
        elif 0xD800 <= ord(character) <= 0xDFFF:
            raise ValueError(f"U+{ord(character):04X} is an unpaired surrogate, which no CEL string can hold")
        elif unicodedata.category(character) in _ESCAPED_CATEGORIES:
            code = ord(character)
            written.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            written.append(character)
    return "'" + "".join(written) + "'"


def is_identifier(name: str) -> bool:
    """`name` can follow `claims.` in CEL: an identifier that is not a reserved word."""
    return _IDENTIFIER.fullmatch(name) is not None and name not in RESERVED_WORDS


def claim_value(claim: str) -> str:
    """The CEL expression of a token claim: `claims.email`, or `claims['https://acme.com/groups']` for a
    name that is no identifier. kube-apiserver recognises `claims.email` and `claims.email_verified` only in
    the first form, which is why that form is used whenever it can be."""
    return f"claims.{claim}" if is_identifier(claim) else f"claims[{cel_string(claim)}]"


def claim_present(claim: str) -> str:
    """The CEL test that the token carries `claim` (any name: `has()` takes identifiers only)."""
    return f"{cel_string(claim)} in claims"

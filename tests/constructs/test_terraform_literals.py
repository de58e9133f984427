"""`literal`/`escaped`: a value always means itself to Terraform, and cdktf tokens stay tokens. What the
escaped text means is checked with the real terraform in tests/checks/test_terraform_escaping.py."""

from __future__ import annotations

import dataclasses
import enum

import cdktf
import pytest
from synth_support import new_stack

from constructs_lib.terraform_literals import escaped, literal

FILE_READ = '${file("/etc/passwd")}'
DIRECTIVE = "%{if true}x%{endif}"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FILE_READ, '$${file("/etc/passwd")}'),
        (DIRECTIVE, "%%{if true}x%%{endif}"),
        (f"k8s {FILE_READ} {DIRECTIVE}", 'k8s $${file("/etc/passwd")} %%{if true}x%%{endif}'),
        # Already written as an escape by whoever typed it: still means what was typed, `$${x}`.
        ("$${x}", "$$${x}"),
        ("%%{x}", "%%%{x}"),
        ("", ""),
        ("k8s-oidc prod", "k8s-oidc prod"),
        ("$ {x} % {x} $x %x {x} $", "$ {x} % {x} $x %x {x} $"),
    ],
    ids=["interpolation", "directive", "both", "typed-escape", "typed-directive-escape", "empty", "plain", "near"],
)
def test_literal_text_is_escaped(value: str, written: str) -> None:
    assert literal(value) == written


def test_tokens_are_left_alone_and_only_the_text_around_them_is_escaped() -> None:
    stack = new_stack()
    token = cdktf.TerraformVariable(stack, "v", type="string").string_value
    listed = cdktf.TerraformVariable(stack, "l", type="list(string)").list_value
    assert literal(token) == token
    assert literal(f"https://{token}/v2.0") == f"https://{token}/v2.0"
    assert literal(f"{FILE_READ}{token}%{{x}}") == f'$${{file("/etc/passwd")}}{token}%%{{x}}'
    assert literal(listed[0]) == listed[0]
    joined = cdktf.Fn.join(",", listed)
    assert literal(joined) == joined
    assert escaped(listed) == listed


def test_dollars_right_before_a_token_are_written_so_the_token_stays_an_interpolation() -> None:
    """`$${` would be the escape: the token's value would be replaced by its own expression's text."""
    token = "${TfToken[TOKEN.7]}"
    assert literal(f"cost: ${token}") == f'cost: ${{"$"}}{token}'
    assert literal(f"$${token}-$") == f'${{"$$"}}{token}-$'
    assert literal(f"%{token}") == f"%{token}"


class Colour(enum.StrEnum):
    RED = "${red}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inner:
    claim: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Props:
    """Stands in for construct props: its check would refuse the escaped text, and must not run again."""

    name: str
    uris: tuple[str, ...]
    claims: dict[str, str]
    inner: Inner
    colour: Colour = Colour.RED
    count: int = 3
    optional: str | None = None

    def __post_init__(self) -> None:
        if "$${" in self.name:
            raise ValueError("validated again")


def test_escaped_copies_every_string_of_a_structure_and_leaves_the_original_alone() -> None:
    props = Props(
        name=FILE_READ,
        uris=(FILE_READ, "http://localhost:8000"),
        claims={FILE_READ: DIRECTIVE},
        inner=Inner(claim=FILE_READ),
    )
    written = escaped(props)  # a Props, made without running its checks again
    assert type(written) is Props
    assert written.name == literal(FILE_READ)
    assert written.uris == (literal(FILE_READ), "http://localhost:8000")
    assert written.claims == {literal(FILE_READ): literal(DIRECTIVE)}
    assert written.inner == Inner(claim=literal(FILE_READ))
    assert written.colour is Colour.RED  # an enum member is the construct's choice, not data
    assert (written.count, written.optional) == (3, None)
    assert props.name == FILE_READ
    assert props.inner.claim == FILE_READ
    assert escaped([FILE_READ, None, True, 1.5]) == [literal(FILE_READ), None, True, 1.5]

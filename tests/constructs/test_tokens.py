"""The Python-side token check agrees with cdktf's own (jsii) answer."""

from __future__ import annotations

import cdktf
from synth_support import new_stack

from constructs_lib.tokens import KNOWN_AFTER_DEPLOY, is_unresolved


def test_agrees_with_cdktf_on_literals_and_tokens() -> None:
    stack = new_stack()
    variable = cdktf.TerraformVariable(stack, "v", type="string")
    listed = cdktf.TerraformVariable(stack, "l", type="list(string)")
    samples = [
        "plain",
        "",
        "${var.not_a_cdktf_token}",
        "https://example.com/TfToken[x]",
        variable.string_value,
        f"https://{variable.string_value}/v2.0",
        listed.list_value[0],
        cdktf.Fn.join(",", listed.list_value),
        cdktf.Token.as_string(cdktf.Token.null_value()),
    ]
    assert [is_unresolved(value) for value in samples] == [cdktf.Token.is_unresolved(value) for value in samples]
    assert [is_unresolved(value) for value in samples[:4]] == [False] * 4


def test_the_stand_in_for_values_known_after_deploy_is_left_alone_like_a_token() -> None:
    assert is_unresolved(KNOWN_AFTER_DEPLOY)
    assert is_unresolved(f"https://{KNOWN_AFTER_DEPLOY}/v2.0")

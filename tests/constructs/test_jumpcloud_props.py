"""JumpCloudOidcClientProps (constructs_lib/idp/jumpcloud_props.py): each refusal with the value and the fix."""

from __future__ import annotations

import pytest

from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps


@pytest.mark.parametrize(
    ("client_id", "message"),
    [
        ("", "client_id must be non-empty without whitespace, got ''; e.g. '5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'"),
        (
            "5f1e 2d3c",
            "client_id must be non-empty without whitespace, got '5f1e 2d3c'; "
            "e.g. '5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'",
        ),
    ],
    ids=["empty", "whitespace"],
)
def test_props_refuse_bad_client_ids_with_the_value_and_the_fix(client_id: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        JumpCloudOidcClientProps(name="data-jc", prefix="jc:", client_id=client_id)
    assert str(error.value) == message

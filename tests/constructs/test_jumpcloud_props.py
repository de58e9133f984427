"""JumpCloudOidcClientProps (constructs_lib/idp/jumpcloud_props.py): each refusal with the value and the fix."""

from __future__ import annotations

import pytest

from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.props_error import PropsError


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


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        JumpCloudOidcClientProps(
            name="data-jc", prefix="jc:", device_code=True, issuer_url="https://jc@127.0.0.1/", client_id="a b"
        )
    assert [problem.field for problem in raised.value.problems] == ["device_code", "issuer_url", "client_id"]

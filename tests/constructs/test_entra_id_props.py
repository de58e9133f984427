"""EntraIdOidcAppProps (constructs_lib/idp/entra_id_props.py): each refusal with the value and the fix."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.props_error import PropsError


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"security_groups": ("k8s-admins", "k8s-admins")},
            "security_groups repeats 'k8s-admins'; list each once",
        ),
        (
            {"security_groups": ("",)},
            "security_groups: '' is not a group display name; give each group's display name as shown in the "
            "Entra admin center",
        ),
        ({"display_name": ""}, "display_name must not be empty, got ''; omit it for 'k8s-oidc prod-entra'"),
    ],
    ids=["repeated-group", "empty-group", "empty-display-name"],
)
def test_props_refuse_bad_values_with_the_value_and_the_fix(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        EntraIdOidcAppProps(name="prod-entra", prefix="entra:", **overrides)
    assert str(error.value) == message


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        EntraIdOidcAppProps(name="prod-entra", prefix="", device_code=True, display_name="", security_groups=("a", "a"))
    assert [problem.field for problem in raised.value.problems] == [
        "device_code",
        "prefix",
        "display_name",
        "security_groups",
    ]

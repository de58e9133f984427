"""WorkforcePoolProps and the pool provider id rule (constructs_lib/workforce/pool_props.py): each refusal
with the field it concerns and the whole message."""

from __future__ import annotations

import pytest

from constructs_lib.props_error import PropsError
from constructs_lib.workforce.pool_props import WorkforcePoolProps, check_workforce_provider_id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"organization_id": "acme"},
            "organization_id",
            "organization_id must be the numeric organization id, got 'acme'",
        ),
        (
            {"pool_id": "gcp-pool"},
            "pool_id",
            "pool_id must be 6-63 characters of a-z, 0-9 and '-', not starting with 'gcp-', got 'gcp-pool'",
        ),
        (
            {"pool_id": "tiny"},
            "pool_id",
            "pool_id must be 6-63 characters of a-z, 0-9 and '-', not starting with 'gcp-', got 'tiny'",
        ),
        (
            {"session_duration": "900s"},
            "session_duration",
            "session_duration must be like '3600s', more than 900s and less than 43200s, got '900s'",
        ),
    ],
)
def test_props_are_validated(changes: dict[str, str], field: str, message: str) -> None:
    props = {"organization_id": "123456789012", "pool_id": "k8s-engineers", **changes}
    with pytest.raises(PropsError) as raised:
        WorkforcePoolProps(**props)
    assert (raised.value.field, str(raised.value)) == (field, message)


@pytest.mark.parametrize("provider_id", ["okta", "corp-entra", "a" * 32])
def test_provider_ids_google_accepts(provider_id: str) -> None:
    check_workforce_provider_id(provider_id)


@pytest.mark.parametrize("provider_id", ["jc", "a" * 33, "gcp-okta", "Okta"])
def test_provider_ids_google_refuses(provider_id: str) -> None:
    with pytest.raises(PropsError) as raised:
        check_workforce_provider_id(provider_id)
    assert (raised.value.field, str(raised.value)) == (
        "provider_id",
        f"provider_id must be 4-32 characters of a-z, 0-9 and '-', not starting with 'gcp-', got {provider_id!r}",
    )


def test_every_refused_value_is_named_at_once() -> None:
    with pytest.raises(PropsError) as raised:
        WorkforcePoolProps(organization_id="acme", pool_id="gcp-pool", session_duration="60s")
    assert [problem.field for problem in raised.value.problems] == ["organization_id", "pool_id", "session_duration"]

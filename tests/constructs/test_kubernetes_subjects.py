"""The `system:` rule (constructs_lib/kubernetes_subjects.py): a prefix that could make one of Kubernetes'
own users or groups is refused — empty, starting with `system:`, or a leading part of it — and every
other prefix, followed by any name an IdP may send, stays out of `system:`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_lib.kubernetes_subjects import RESERVED_PREFIX, is_reserved_subject, reserved_prefix_problem

RESERVED = "reserved for Kubernetes' own users and groups: an IdP group {group!r} would become 'system:masters'"


@pytest.mark.parametrize("prefix", ["s", "sy", "sys", "syst", "syste", "system"])
def test_a_leading_part_of_system_is_refused_naming_the_group_that_would_complete_it(prefix: str) -> None:
    group = "system:masters"[len(prefix) :]
    assert reserved_prefix_problem(prefix) == (f"must not be the start of 'system:' ({RESERVED.format(group=group)})")
    assert is_reserved_subject(prefix + group)


@pytest.mark.parametrize("prefix", ["system:", "system:masters:", "system:serviceaccount:"])
def test_a_prefix_starting_with_system_is_refused(prefix: str) -> None:
    assert reserved_prefix_problem(prefix) == f"must not start with 'system:' ({RESERVED.format(group='masters')})"


def test_an_empty_prefix_is_refused() -> None:
    assert reserved_prefix_problem("") == (
        "must not be empty: subjects from the IdP would be indistinguishable from other users and groups, and an "
        "IdP group named 'system:masters' would be Kubernetes' own admin group"
    )


@pytest.mark.parametrize("prefix", ["okta:", "sso:", "System:", "systemd:", "sys-", "s:", "oidc:system:"])
def test_other_prefixes_are_accepted(prefix: str) -> None:
    assert reserved_prefix_problem(prefix) is None


@given(prefix=st.text(alphabet="sytem:S-xo", max_size=10), name=st.text(alphabet="sytem:asrk", max_size=16))
def test_no_accepted_prefix_makes_a_system_subject_whatever_the_idp_sends(prefix: str, name: str) -> None:
    """The property the rule exists for, asserted directly: an accepted prefix followed by any name is
    never a `system:` subject (and a refused one can be completed into one)."""
    if reserved_prefix_problem(prefix) is None:
        assert not is_reserved_subject(prefix + name)
    else:
        assert is_reserved_subject(prefix + RESERVED_PREFIX[len(prefix) :] + "masters")


def test_a_reserved_subject_is_one_that_starts_with_system() -> None:
    assert is_reserved_subject("system:masters")
    assert is_reserved_subject("system:authenticated")
    assert not is_reserved_subject("okta:system:masters")
    assert not is_reserved_subject("System:masters")

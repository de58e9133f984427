"""aks_claim_mappings: every CEL expression the AKS authenticator carries, compiled and evaluated with a real
CEL implementation (Google's, PyPI `cel-expr-python`) on sample tokens. The names must come out exactly
`aks:jwt:<prefix><value>` (`aks_subject`), whatever the prefix and the claims hold."""

from __future__ import annotations

from typing import Any

import pytest
from cel_expr_python import cel

from constructs_lib.cluster.aks_claim_mappings import (
    AKS_SUBJECT_PREFIX,
    EMAIL_VERIFIED_MESSAGE,
    EMAIL_VERIFIED_RULE,
    aks_subject,
    claim_validation_rules,
    groups_expression,
    username_expression,
)
from constructs_lib.kubernetes_subjects import is_reserved_subject

CLAIMS_ENV = cel.NewEnv(variables={"claims": cel.Type.Map(cel.Type.STRING, cel.Type.DYN)})
"""As kube-apiserver declares it for claim mappings and claim validation rules: `claims` is map(string, dyn)."""

PREFIXES = [
    "okta:",
    "o'k\\ta:",
    '"quoted":',
    "é漢😀:",
    "\\",
    "'",
    "' + claims.sub + '",
    '" + claims.sub + "',
    "\\' + claims.sub + \\'",
    "${x}%{y}:",
    "bidi\u202e:",
]
VALUES = ["jane@example.com", "o'brien", 'say "hi"', "back\\slash", "ünï 漢字 😀", "system:masters", ""]


def compiled(expression: str) -> Any:
    return CLAIMS_ENV.compile(expression)


def evaluate(expression: str, claims: dict[str, Any]) -> Any:
    return compiled(expression).eval(data={"claims": claims}).plain_value()


def test_the_expressions_for_a_sample_idp_are_these() -> None:
    """What an IdP `sso` (prefix `sso:`, claims `email` and `groups`) puts into the authenticator."""
    assert username_expression(prefix="sso:", user_claim="email") == "'aks:jwt:' + 'sso:' + claims.email"
    assert groups_expression(prefix="sso:", groups_claim="groups") == (
        "'groups' in claims ? (type(claims.groups) == string ? [claims.groups] : claims.groups)"
        ".map(group, 'aks:jwt:' + 'sso:' + group) : []"
    )
    assert claim_validation_rules(user_claim="email") == [
        {
            "expression": "!has(claims.email_verified) || claims.email_verified == true",
            "message": "the identity provider says the email address is not verified (email_verified is false)",
        }
    ]


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_username_is_exactly_aks_jwt_prefix_value(prefix: str, value: str) -> None:
    expression = username_expression(prefix=prefix, user_claim="email")
    assert compiled(expression).return_type() == cel.Type.STRING
    username = evaluate(expression, {"email": value, "sub": "admin"})
    assert username == aks_subject(prefix, value) == f"aks:jwt:{prefix}{value}"
    assert username.startswith(AKS_SUBJECT_PREFIX) and not is_reserved_subject(username)


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_each_group_is_exactly_aks_jwt_prefix_group(prefix: str) -> None:
    expression = groups_expression(prefix=prefix, groups_claim="groups")
    assert compiled(expression).return_type() == cel.Type.List(cel.Type.STRING)
    groups = evaluate(expression, {"groups": VALUES, "sub": "admin"})
    assert groups == [aks_subject(prefix, group) for group in VALUES]
    assert all(group.startswith(AKS_SUBJECT_PREFIX) and not is_reserved_subject(group) for group in groups)


def test_a_token_without_the_groups_claim_has_no_groups() -> None:
    expression = groups_expression(prefix="sso:", groups_claim="groups")
    assert evaluate(expression, {"email": "jane@example.com"}) == []
    assert evaluate(expression, {"groups": []}) == []


def test_a_single_group_sent_as_a_string_is_one_group() -> None:
    """kube-apiserver's own `groups.claim` takes a string or a list: so does the expression."""
    expression = groups_expression(prefix="sso:", groups_claim="groups")
    assert evaluate(expression, {"groups": "k8s-admins"}) == ["aks:jwt:sso:k8s-admins"]


@pytest.mark.parametrize(
    ("claim", "expected_access"),
    [("https://acme.com/groups", "claims['https://acme.com/groups']"), ("cognito:groups", "claims['cognito:groups']")],
)
def test_claim_names_that_are_no_identifiers_work(claim: str, expected_access: str) -> None:
    groups = groups_expression(prefix="auth0:", groups_claim=claim)
    assert expected_access in groups
    assert evaluate(groups, {claim: ["a", "b"], "groups": ["wrong"]}) == ["aks:jwt:auth0:a", "aks:jwt:auth0:b"]
    assert evaluate(groups, {"groups": ["wrong"]}) == []
    user = username_expression(prefix="auth0:", user_claim=claim)
    assert evaluate(user, {claim: "jane"}) == "aks:jwt:auth0:jane"


def test_a_token_without_the_user_claim_signs_nobody_in() -> None:
    """The expression fails (kube-apiserver then refuses the token) rather than making up a name."""
    result = compiled(username_expression(prefix="sso:", user_claim="email")).eval(data={"claims": {"sub": "x"}})
    assert result.type() == cel.Type.ERROR
    assert "email" in str(result.value())


@pytest.mark.parametrize(
    ("claims", "accepted"),
    [
        ({"email": "jane@example.com", "email_verified": True}, True),
        ({"email": "jane@example.com"}, True),
        ({"email": "jane@example.com", "email_verified": False}, False),
        ({"email": "jane@example.com", "email_verified": "true"}, False),
    ],
    ids=["verified", "claim-absent", "not-verified", "string-not-bool"],
)
def test_the_email_verified_rule_refuses_a_token_whose_email_is_not_verified(
    claims: dict[str, Any], accepted: bool
) -> None:
    """The same verdicts as kube-apiserver's own rule for `username.claim: email`,
    `claims.?email_verified.orValue(true) == true`."""
    (rule,) = claim_validation_rules(user_claim="email")
    assert compiled(rule["expression"]).return_type() == cel.Type.BOOL
    assert evaluate(rule["expression"], claims) is accepted


def test_the_rule_is_what_kube_apiserver_looks_for() -> None:
    """kube-apiserver refuses a username expression with `claims.email` unless some expression selects
    `claims.email_verified` (a select, which is what both forms here are)."""
    assert "claims.email" in username_expression(prefix="sso:", user_claim="email")
    assert "has(claims.email_verified)" in EMAIL_VERIFIED_RULE
    assert "claims.email_verified == true" in EMAIL_VERIFIED_RULE
    assert "email_verified is false" in EMAIL_VERIFIED_MESSAGE


@pytest.mark.parametrize("user_claim", ["preferred_username", "sub", "upn"])
def test_other_user_claims_need_no_rule(user_claim: str) -> None:
    assert claim_validation_rules(user_claim=user_claim) == []

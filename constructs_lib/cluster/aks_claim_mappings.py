"""The CEL claim mappings and validation rules of an AKS JWT authenticator (cdktf-free: the render step's
RBAC subjects use `aks_subject` too).

AKS maps claims through CEL expressions only and requires every username and group it maps to start with
`aks:jwt:`. So the username is `'aks:jwt:' + <prefix> + <user claim>` and each group
`'aks:jwt:' + <prefix> + <group>`: RBAC subjects on AKS are `aks_subject(prefix, name)`. The prefix enters
the expressions only as a CEL string literal (`cel_literals`), so whatever it holds stays text.
"""

from __future__ import annotations

from constructs_lib.cel_literals import cel_string, claim_present, claim_value

AKS_SUBJECT_PREFIX = "aks:jwt:"
"""What AKS requires every username and group a JWT authenticator maps to start with."""
EMAIL_CLAIM = "email"
EMAIL_VERIFIED_RULE = "!has(claims.email_verified) || claims.email_verified == true"
"""kube-apiserver refuses a username expression that uses `claims.email` unless `claims.email_verified` is
used too (structured authentication's rule, the same it applies to `username.claim: email`): a token whose
`email_verified` is false is refused, one without the claim is taken. Written without CEL's optional syntax
(`claims.?email_verified.orValue(true) == true` means the same) so that any CEL parser reads it."""
EMAIL_VERIFIED_MESSAGE = "the identity provider says the email address is not verified (email_verified is false)"


def aks_subject(prefix: str, name: str) -> str:
    """The username or group AKS sees for `name` from the IdP (and RBAC names): `aks:jwt:<prefix><name>`."""
    return f"{AKS_SUBJECT_PREFIX}{prefix}{name}"


def username_expression(*, prefix: str, user_claim: str) -> str:
    """`'aks:jwt:' + '<prefix>' + claims.<user_claim>`: a token without the claim signs nobody in."""
    return f"{cel_string(AKS_SUBJECT_PREFIX)} + {cel_string(prefix)} + {claim_value(user_claim)}"


def groups_expression(*, prefix: str, groups_claim: str) -> str:
    """Each group of the claim as `'aks:jwt:' + '<prefix>' + group`; no groups when the token has no such
    claim; a single group sent as a string (as kube-apiserver's own `groups.claim` accepts) is one group."""
    groups = claim_value(groups_claim)
    mapped = f"{cel_string(AKS_SUBJECT_PREFIX)} + {cel_string(prefix)} + group"
    return (
        f"{claim_present(groups_claim)} ? (type({groups}) == string ? [{groups}] : {groups}).map(group, {mapped}) : []"
    )


def claim_validation_rules(*, user_claim: str) -> list[dict[str, str]]:
    """The rules kube-apiserver requires with these mappings: with `email` as the user claim, that
    `email_verified` is not false; none otherwise."""
    if user_claim != EMAIL_CLAIM:
        return []
    return [{"expression": EMAIL_VERIFIED_RULE, "message": EMAIL_VERIFIED_MESSAGE}]

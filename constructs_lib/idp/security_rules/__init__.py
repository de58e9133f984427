"""Security expectations of identity-provider stacks, checked on synthesised Terraform JSON.

In the manner of cdk-nag: each rule is a small function named after a plain sentence, in the module of
that name, returning its findings (empty: compliant); this pack runs them all (`check_stack`). They hold
for every stack the constructs of this package make, and they let a CDKTF app that composes the constructs
itself check its own stacks:

    findings = check_stack(json.loads(cdktf.Testing.synth(stack)))

cdktf-free: rules read the JSON only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from constructs_lib.idp.security_rules.entra_app_is_a_public_client_that_requires_assignment import (
    entra_app_is_a_public_client_that_requires_assignment,
)
from constructs_lib.idp.security_rules.entra_web_app_is_a_confidential_client_without_implicit_grant import (
    entra_web_app_is_a_confidential_client_without_implicit_grant,
)
from constructs_lib.idp.security_rules.findings import Finding, blocks, is_web_redirect_uri
from constructs_lib.idp.security_rules.okta_app_is_a_public_client_with_pkce import (
    okta_app_is_a_public_client_with_pkce,
)
from constructs_lib.idp.security_rules.okta_grants import (
    AUTHORIZATION_CODE_AND_REFRESH,
    AUTHORIZATION_CODE_ONLY,
    DEVICE_CODE,
    PUBLIC_CLIENT_GRANTS,
)
from constructs_lib.idp.security_rules.okta_policy_admits_only_its_app_by_authorization_code import (
    okta_policy_admits_only_its_app_by_authorization_code,
)
from constructs_lib.idp.security_rules.okta_web_app_is_a_confidential_client_with_authorization_code_only import (
    okta_web_app_is_a_confidential_client_with_authorization_code_only,
)
from constructs_lib.idp.security_rules.secrets_stay_sensitive import SECRET_ATTRIBUTES, secrets_stay_sensitive

RULES: tuple[Callable[[Mapping[str, Any]], list[Finding]], ...] = (
    okta_app_is_a_public_client_with_pkce,
    okta_web_app_is_a_confidential_client_with_authorization_code_only,
    okta_policy_admits_only_its_app_by_authorization_code,
    entra_app_is_a_public_client_that_requires_assignment,
    entra_web_app_is_a_confidential_client_without_implicit_grant,
    secrets_stay_sensitive,
)


def check_stack(stack: Mapping[str, Any]) -> list[Finding]:
    """Every rule's findings for one stack's Terraform JSON (`cdk.tf.json`)."""
    return [finding for rule in RULES for finding in rule(stack)]


__all__ = [
    "AUTHORIZATION_CODE_AND_REFRESH",
    "AUTHORIZATION_CODE_ONLY",
    "DEVICE_CODE",
    "PUBLIC_CLIENT_GRANTS",
    "RULES",
    "SECRET_ATTRIBUTES",
    "Finding",
    "blocks",
    "check_stack",
    "entra_app_is_a_public_client_that_requires_assignment",
    "entra_web_app_is_a_confidential_client_without_implicit_grant",
    "is_web_redirect_uri",
    "okta_app_is_a_public_client_with_pkce",
    "okta_policy_admits_only_its_app_by_authorization_code",
    "okta_web_app_is_a_confidential_client_with_authorization_code_only",
    "secrets_stay_sensitive",
]

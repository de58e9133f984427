"""The grant lists the Okta rules accept (constructs_lib/idp/security_rules/okta_grants.py): exactly those
kubelogin's Okta app and its policy rule get from the construct, one per setting of `refresh_tokens` and
`device_code` — a list the construct never writes would be a grant the rules let through unasked."""

from __future__ import annotations

import itertools

from idp_synth import synth_idp
from security_rule_support import first

from constructs_lib.idp.okta import OktaOidcApp
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.idp.security_rules.okta_grants import PUBLIC_CLIENT_GRANTS


def test_the_accepted_grant_lists_are_those_the_construct_writes() -> None:
    written = set()
    for refresh_tokens, device_code in itertools.product((False, True), repeat=2):
        props = OktaOidcAppProps(name="p", prefix="okta:", refresh_tokens=refresh_tokens, device_code=device_code)
        stack = synth_idp(OktaOidcApp, props)[1]
        grants = first(stack, "okta_app_oauth")["grant_types"]
        assert first(stack, "okta_auth_server_policy_rule")["grant_type_whitelist"] == grants
        written.add(tuple(grants))
    assert written == {tuple(grants) for grants in PUBLIC_CLIENT_GRANTS}

"""IdP settings the constructs refuse are config errors at their key path (not synth errors)."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_support import MINIMAL, load, mutated, problems_of

from stacks.config import parse_config
from stacks.errors import Problem, UserError

CLUSTERS = """
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: ProdCluster, identity_providers: [okta]}
"""


@pytest.mark.parametrize(
    ("okta", "key", "message"),
    [
        (
            '{type: okta, issuer_url: "https://acme.okta.com/oauth2/default"}',
            "issuer_url",
            "'https://acme.okta.com/oauth2/default' needs authorization_server_id: the issuer of the authorization "
            "server this construct creates is only known after apply; set authorization_server_id to reuse the "
            "server with that issuer, or omit issuer_url",
        ),
        (
            "{type: okta, scopes: [openid, email]}",
            "scopes",
            "must include 'groups': the created authorization server releases the groups claim only for that "
            "scope, got ['openid', 'email']; add 'groups'",
        ),
        (
            '{type: okta, authorization_server_id: aus1, issuer_url: "https://acme.okta.com/oauth2/aus1", '
            'group_filter_regex: "k8s-.*"}',
            "group_filter_regex",
            "'k8s-.*' applies only to an authorization server this construct creates; the reused server 'aus1' "
            "filters groups with its own groups claim: edit that claim in the Okta console, or omit "
            "authorization_server_id",
        ),
        (
            "{type: okta, authorization_server_id: aus1}",
            "issuer_url",
            "required with authorization_server_id 'aus1': copy the server's Issuer URI (ending in /oauth2/aus1) "
            "from Security > API > Authorization Servers in the Okta console (Okta's data source finds servers by "
            "name only)",
        ),
    ],
    ids=["issuer-without-server", "scopes-without-groups", "filter-on-reused-server", "server-without-issuer"],
)
def test_reported_at_the_key_it_concerns(okta: str, key: str, message: str) -> None:
    text = f"version: 1\nidentity_providers:\n  okta: {okta}\n{CLUSTERS}"
    with pytest.raises(UserError) as raised:
        parse_config(text, Path("oidc.yaml"))
    assert raised.value.problems == [Problem(f"identity_providers.okta.{key}", message)]


def test_a_reused_server_with_its_issuer_is_fine() -> None:
    text = (
        "version: 1\nidentity_providers:\n"
        '  okta: {type: okta, authorization_server_id: aus1, issuer_url: "https://acme.okta.com/oauth2/aus1"}\n'
        f"{CLUSTERS}"
    )
    assert parse_config(text, Path("oidc.yaml")).identity_providers["okta"].authorization_server_id == "aus1"


def test_a_system_prefix_is_refused_at_its_key_path() -> None:
    text = f'version: 1\nidentity_providers:\n  okta: {{type: okta, prefix: "system:"}}\n{CLUSTERS}'
    with pytest.raises(UserError) as raised:
        parse_config(text, Path("oidc.yaml"))
    assert raised.value.problems == [
        Problem(
            "identity_providers.okta.prefix",
            "'system:' must not start with 'system:' (reserved for Kubernetes' own users and groups: an IdP group "
            "'masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        )
    ]


def test_device_code_is_off_unless_asked_and_okta_takes_it() -> None:
    assert not any(idp.device_code for idp in load(MINIMAL).identity_providers.values())
    config = load(mutated("identity_providers.okta-main.device_code", True))
    assert config.identity_providers["okta-main"].device_code is True
    assert not config.identity_providers["jc"].device_code


def test_an_idp_named_system_needs_its_own_prefix() -> None:
    document = mutated("identity_providers.system", {"type": "jumpcloud", "client_id": "x"})
    assert "reserved for Kubernetes" in problems_of(document)["identity_providers.system.prefix"]

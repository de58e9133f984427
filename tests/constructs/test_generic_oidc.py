"""GenericOidcClient: nothing to create; the `OidcConfig` of the given issuer and public client, with the
`oidc` type's defaults (DESIGN.md contract 3) and the issuer's CA only when it has a private one."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from idp_synth import synth_idp
from terraform_hostile import ESCAPED, HOSTILE, URL_ESCAPED, URL_HOSTILE, evaluated

from constructs_lib.certificates import certificates_from_base64
from constructs_lib.idp.generic_oidc import GenericOidcClient
from constructs_lib.idp.generic_oidc_props import GenericOidcClientProps

CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
ISSUER = "https://sso.acme.internal/realms/eng"
PUBLIC_OUTPUT = {
    "client_id": "kubernetes",
    "issuer_url": ISSUER,
    "user_claim": "email",
    "groups_claim": "groups",
    "username_prefix": "sso:",
    "groups_prefix": "sso:",
    "scopes": ["openid", "profile", "email"],
    "pkce_method": "S256",
    "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
    "requires_client_secret": False,
}


def synth_generic(**overrides: Any) -> tuple[GenericOidcClient, dict[str, Any]]:
    props = GenericOidcClientProps(
        **{"name": "apps-sso", "prefix": "sso:", "issuer_url": ISSUER, "client_id": "kubernetes", **overrides}
    )
    return synth_idp(GenericOidcClient, props)


def test_creates_nothing_and_yields_a_public_pkce_client_of_the_given_issuer() -> None:
    construct, stack = synth_generic()
    assert not {"resource", "data", "provider", "variable"} & set(stack)
    assert construct.oidc_config.as_output() == PUBLIC_OUTPUT
    assert construct.client_secret is None
    assert construct.oidc_config.certificate_authority_data is None


def test_claims_scopes_and_refresh_tokens_can_be_overridden() -> None:
    construct, _ = synth_generic(
        user_claim="preferred_username", groups_claim="https://acme.com/groups", refresh_tokens=True
    )
    config = construct.oidc_config
    assert (config.user_claim, config.groups_claim) == ("preferred_username", "https://acme.com/groups")
    assert config.scopes == ("openid", "profile", "email", "offline_access")


def test_a_private_ca_reaches_the_output_as_the_certificates_alone() -> None:
    """The bundle an admin pasted together holds a key too: only the certificate, re-encoded, reaches the
    output (the config drops the rest with a warning; `certificates` is the one rule for both)."""
    bundle = CA_PEM.replace(b"\n", b"\r\n") + b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n"
    certificates = certificates_from_base64(base64.b64encode(bundle).decode())
    assert certificates.dropped == ("PEM block 2 is a PRIVATE KEY, not a CERTIFICATE",)
    construct, _ = synth_generic(certificate_authority_data=certificates.base64)
    output = construct.oidc_config.as_output()
    assert output == {**PUBLIC_OUTPUT, "certificate_authority_data": base64.b64encode(CA_PEM).decode()}
    pem = base64.b64decode(str(output["certificate_authority_data"]))
    assert b"PRIVATE KEY" not in pem and pem.count(b"-----BEGIN CERTIFICATE-----") == 1


def test_every_literal_string_reaches_the_output_as_itself() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a prop is text, never an expression."""
    construct, stack = synth_generic(
        prefix=HOSTILE,
        client_id=HOSTILE,
        issuer_url=f"https://sso.acme.internal/{URL_HOSTILE}",
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
    )
    assert evaluated(stack) == []
    output = construct.oidc_config.as_output()
    assert (output["client_id"], output["issuer_url"]) == (ESCAPED, f"https://sso.acme.internal/{URL_ESCAPED}")
    assert output["username_prefix"] == output["user_claim"] == output["groups_claim"] == ESCAPED

"""What the tests of the AKS authenticator and its props share: the test PKI's CA and a Keycloak-like IdP."""

from __future__ import annotations

from pathlib import Path

from constructs_lib.oidc import OidcConfig

CA_PEM = (Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
"""A CA certificate (PEM) the issuer's TLS certificate could come from."""
OIDC = OidcConfig(
    client_id="kubernetes",
    issuer_url="https://sso.acme.internal/realms/eng",
    user_claim="email",
    groups_claim="groups",
    username_prefix="sso:",
    groups_prefix="sso:",
    scopes=("openid", "profile", "email"),
    redirect_uris=("http://localhost:8000",),
    requires_client_secret=False,
)
"""An `oidc` IdP's settings as the pair stacks of an AKS cluster get them."""

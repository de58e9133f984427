"""The grant lists the Okta rules accept: kubelogin's app signs in by authorization code, with the refresh
token and device grants where they are opted in."""

from __future__ import annotations

AUTHORIZATION_CODE_ONLY = ["authorization_code"]

AUTHORIZATION_CODE_AND_REFRESH = ["authorization_code", "refresh_token"]
"""kubelogin's app with refresh tokens opted in (`refresh_tokens`): still signs in by authorization code."""

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
"""The device authorization grant (RFC 8628), which kubelogin's app may add (`device_code`): a public
client with PKCE for the browser sign-in still, no implicit or password grant."""

PUBLIC_CLIENT_GRANTS = (
    AUTHORIZATION_CODE_ONLY,
    AUTHORIZATION_CODE_AND_REFRESH,
    [*AUTHORIZATION_CODE_ONLY, DEVICE_CODE],
    [*AUTHORIZATION_CODE_AND_REFRESH, DEVICE_CODE],
)
"""Every grant list kubelogin's Okta app and policy rule may have, in the order the construct writes them."""

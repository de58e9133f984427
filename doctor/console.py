"""Where each IdP's console keeps the settings doctor's failures point at."""

from __future__ import annotations

from constructs_lib.oidc import IdentityProviderType

PUBLIC_CLIENT_SETTING: dict[IdentityProviderType, str] = {
    IdentityProviderType.OKTA: (
        "Okta admin console: Applications > the k8s-oidc app > General: Client authentication None, "
        "'Require PKCE as additional verification' ticked, grant type Authorization Code"
    ),
    IdentityProviderType.ENTRA_ID: (
        "Entra admin center: App registrations > the app > Authentication: the 'Mobile and desktop "
        "applications' platform with the http://localhost redirect URIs, 'Allow public client flows' on"
    ),
    IdentityProviderType.GOOGLE_WORKSPACE: (
        "Google Cloud console: APIs & Services > Credentials: an OAuth client of type 'Desktop app'"
    ),
    IdentityProviderType.JUMPCLOUD: (
        "JumpCloud admin portal: SSO Applications > the Custom OIDC app > SSO: Client Authentication Type "
        "'Public (None PKCE)', grant type Authorization Code"
    ),
    IdentityProviderType.OIDC: (
        "your IdP's admin console, the client of this client id: a public client (Keycloak: Client authentication "
        "off, Standard flow, PKCE Method S256; Dex: public: true; Auth0: a Native application, Token Endpoint "
        "Authentication Method None), see docs/oidc-providers.md"
    ),
}
"""The app settings of a public client with PKCE (Google's Desktop-app client keeps a secret)."""

GROUPS_OVERAGE_FIX = (
    "assign fewer groups to the app (Entra admin center: Enterprise applications > the app > Users and groups; "
    "k8s-oidc's app emits only the groups assigned to it), so that a user's token holds at most 200"
)

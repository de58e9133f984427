"""`python main.py doctor` (DESIGN.md contract 6): prove a sign-in works before engineers try.

For every IdP of the config (or those named with --identity-provider): the discovery checks of its
issuers, the analysis of an ID token (`--id-token`) with what each cluster will make of it, and a
real PKCE sign-in (`--login`) that first proves the IdP refuses a wrong `code_verifier`.

The package, by concern:
- `targets`: which issuer and client id each cluster trusts (from the config, or `--outputs`);
- `http`: HTTPS as Kubernetes does it (https only, system CAs + SSL_CERT_FILE), each answer whole within
  10 s and at most 1 MiB;
- `discovery`: the discovery document and JWKS checks;
- `id_token`: signature, iss, aud, expiry, the user and groups claims;
- `cluster_view`: what each cluster makes of a verified token (username, groups, matching access rules);
- `login`: the two authorization-code exchanges of a real sign-in;
- `loopback`: the listener the browser redirects to (a few seconds per connection);
- `console`: where each IdP's console keeps the settings failures point at;
- `report`: statuses, lines, `--json`, the exit status;
- `command`: `run`, the order of it all.

It never imports cdktf, jsii or a provider package (it runs where only outputs exist), and loads
httpx and joserfc only when it uses them.
"""

from doctor.command import run

__all__ = ["run"]

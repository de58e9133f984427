"""What every identity-provider construct's props share, and the checks they use (cdktf-free: the
config model builds these props to validate `oidc.yaml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from constructs_lib.https_urls import https_url_problem
from constructs_lib.kubernetes_subjects import reserved_prefix_problem
from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS, OFFLINE_ACCESS_SCOPE, OidcClientType, redirect_uris
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_unresolved

# kubelogin's local server answers on the loopback interface only, over plain http.
_LOOPBACK_REDIRECT_URI = re.compile(r"http://(localhost|127\.0\.0\.1|\[::1\]):([1-9][0-9]{0,4})(/[^\s?#]*)?")
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_SINGLE_WORD = re.compile(r"\S+")
WORKFORCE_SIGNIN_CALLBACK_EXAMPLE = (
    "https://auth.cloud.google/signin-callback/locations/global/workforcePools/<pool>/providers/<provider>"
)


def require_single_word(field: str, value: str, example: str) -> None:
    """A claim name, prefix or id: non-empty, no whitespace (tokens pass)."""
    if not is_unresolved(value) and not _SINGLE_WORD.fullmatch(value):
        raise PropsError(field, f"{field} must be non-empty without whitespace, got {value!r}; e.g. {example!r}")


@dataclass(frozen=True, kw_only=True)
class IdentityProviderProps:
    """Settings common to every IdP construct. `None` means the IdP type's default (`IDP_DEFAULTS`)."""

    name: str
    """Names what the construct creates (app label, authorization server, policy); e.g. the stack name."""
    prefix: str
    """Username and groups prefix Kubernetes puts before every subject (e.g. `okta:`)."""
    client_type: OidcClientType = OidcClientType.PUBLIC_NATIVE
    """Default `PUBLIC_NATIVE`: kubelogin's public client (PKCE, no secret, loopback redirect URIs).
    `CONFIDENTIAL_WEB`: the web client with a secret that a Google workforce pool signs users in with."""
    redirect_uris: tuple[str, ...] = redirect_uris(DEFAULT_REDIRECT_PORTS)
    """Where the IdP sends the browser back. Default: kubelogin's loopback URIs http://localhost:8000 and
    http://localhost:18000, which only `PUBLIC_NATIVE` accepts; `CONFIDENTIAL_WEB` needs https URIs (the
    pool provider's sign-in callback) given here."""
    issuer_url: str | None = None
    """Default: the type's issuer (Okta: the created authorization server's; Entra ID: the tenant's). Must
    equal the `issuer` of the IdP's discovery document character for character.

    A given issuer wins over the one the construct computes; the comparison includes a trailing slash."""
    user_claim: str | None = None
    """Default: `email` (Entra ID: `preferred_username`)."""
    groups_claim: str | None = None
    """Default: `groups` (Google Workspace: none, its ID tokens carry no groups)."""
    scopes: tuple[str, ...] | None = None
    """Default: the type's scopes (see the IdP defaults table); must include `openid`.

    The table is `IDP_DEFAULTS`; `offline_access` comes with `refresh_tokens` only."""
    refresh_tokens: bool = False
    """Opt in to refresh tokens (`offline_access`; Okta: the refresh grant, rotating); default false:
    engineers sign in again in the browser when the ID token expires. Google Workspace refuses it.

    Off, no long-lived token is cached on engineers' disks."""
    device_code: bool = False
    """Opt in to headless sign-in (device authorization grant, RFC 8628): Okta's app and policy rule also
    allow it, and the render step adds a `<context>-device` context signing in with kubelogin's
    `--grant-type=device-code`. Default false. Okta only: Entra ID, Google Workspace and JumpCloud refuse it.

    For shells without a local browser: kubelogin prints a code to enter in a browser anywhere."""

    def __post_init__(self) -> None:
        raise_problems(
            self._check_name,
            self._check_prefix,
            self._validate_redirect_uris,
            self._check_refresh_tokens,
            self._check_device_code,
            self._check_issuer_url,
            self._check_user_claim,
            self._check_groups_claim,
            self._check_scopes,
        )

    def _check_name(self) -> None:
        if not self.name.strip():
            raise PropsError("name", f"name must not be empty, got {self.name!r}; it names what the IdP app creates")

    def _check_prefix(self) -> None:
        require_single_word("prefix", self.prefix, "okta:")
        problem = None if is_unresolved(self.prefix) else reserved_prefix_problem(self.prefix)
        if problem is not None:
            raise PropsError("prefix", f"prefix {self.prefix!r} {problem}; use the IdP's name, e.g. 'okta:'")

    def _check_refresh_tokens(self) -> None:
        if self.refresh_tokens and self.client_type is OidcClientType.CONFIDENTIAL_WEB:
            raise PropsError(
                "refresh_tokens",
                "refresh_tokens applies to kubelogin's public client only: a Google workforce pool's web "
                "sign-in keeps no refresh token; leave it false for CONFIDENTIAL_WEB",
            )

    def _check_device_code(self) -> None:
        if self.device_code and self.client_type is OidcClientType.CONFIDENTIAL_WEB:
            raise PropsError(
                "device_code",
                "device_code applies to kubelogin's public client only: a Google workforce pool signs in through "
                "its own web sign-in; leave it false for CONFIDENTIAL_WEB",
            )

    def _check_issuer_url(self) -> None:
        if self.issuer_url is None or is_unresolved(self.issuer_url):
            return
        problem = https_url_problem(self.issuer_url)
        if problem is not None:
            raise PropsError(
                "issuer_url",
                f"issuer_url {self.issuer_url!r} {problem}; copy the `issuer` of the IdP's discovery document exactly",
            )

    def _check_user_claim(self) -> None:
        if self.user_claim is not None:
            require_single_word("user_claim", self.user_claim, "email")

    def _check_groups_claim(self) -> None:
        if self.groups_claim is not None:
            require_single_word("groups_claim", self.groups_claim, "groups")

    def _check_scopes(self) -> None:
        if self.scopes is None:
            return
        self._validate_scopes(self.scopes)
        if OFFLINE_ACCESS_SCOPE in self.scopes and not self.refresh_tokens:
            # One switch decides: the scope alone would leave Okta's grant types behind.
            raise PropsError(
                "scopes",
                f"scopes: {OFFLINE_ACCESS_SCOPE!r} asks for refresh tokens, which are off by default; set "
                f"refresh_tokens to true to opt in (it adds {OFFLINE_ACCESS_SCOPE!r} itself), or remove the "
                "scope",
            )

    @property
    def default_display_name(self) -> str:
        """What the IdP app is called unless a label is given: `k8s-oidc <name>`, and for a web client
        `k8s-oidc <name> (Google workforce)`, so the IdP's console tells it from kubelogin's app."""
        if self.client_type is OidcClientType.CONFIDENTIAL_WEB:
            return f"k8s-oidc {self.name} (Google workforce)"
        return f"k8s-oidc {self.name}"

    def _validate_redirect_uris(self) -> None:
        web = self.client_type is OidcClientType.CONFIDENTIAL_WEB
        if not self.redirect_uris:
            needed = (
                f"a web client needs the sign-in callback {WORKFORCE_SIGNIN_CALLBACK_EXAMPLE}"
                if web
                else "kubelogin needs a loopback redirect URI such as http://localhost:8000"
            )
            raise PropsError("redirect_uris", f"redirect_uris must not be empty: {needed}")
        for uri in self.redirect_uris:
            if is_unresolved(uri):
                continue
            if web and not _is_web_redirect_uri(uri):
                raise PropsError(
                    "redirect_uris",
                    f"redirect_uris: {uri!r} is not an https URL of a public host; a confidential web client "
                    f"redirects to Google's sign-in callback {WORKFORCE_SIGNIN_CALLBACK_EXAMPLE} "
                    "(loopback URIs are for kubelogin's public client)",
                )
            if not web and not _is_loopback_redirect_uri(uri):
                raise PropsError(
                    "redirect_uris",
                    f"redirect_uris: {uri!r} is not a loopback http URL; kubelogin listens on "
                    "http://localhost:<port> (default ports 8000 and 18000)",
                )
        refuse_repeats("redirect_uris", self.redirect_uris)

    @staticmethod
    def _validate_scopes(scopes: tuple[str, ...]) -> None:
        if not scopes:
            raise PropsError("scopes", "scopes must not be empty; leave scopes unset (None) for the IdP's defaults")
        if any(is_unresolved(scope) for scope in scopes):
            return
        for scope in scopes:
            if not _SINGLE_WORD.fullmatch(scope):
                raise PropsError(
                    "scopes", f"scopes: each scope is one word, got {scope!r}; list scopes as separate items"
                )
        if "openid" not in scopes:
            raise PropsError(
                "scopes",
                f"scopes must include 'openid' (without it the IdP issues no ID token), got {list(scopes)}; "
                "add 'openid' or leave scopes unset for the IdP's defaults",
            )
        refuse_repeats("scopes", scopes)


def _is_loopback_redirect_uri(uri: str) -> bool:
    match = _LOOPBACK_REDIRECT_URI.fullmatch(uri)
    return match is not None and int(match.group(2)) <= 65535


def _is_web_redirect_uri(uri: str) -> bool:
    # The code goes to Google's sign-in service, never to the engineer's machine: a loopback host is a mistake.
    return https_url_problem(uri) is None and urlsplit(uri).hostname not in _LOOPBACK_HOSTS


def refuse_repeats(field: str, values: tuple[str, ...]) -> None:
    """Raise naming every value that occurs more than once."""
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise PropsError(field, f"{field} repeats {', '.join(map(repr, repeated))}; list each once")

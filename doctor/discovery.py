"""Discovery checks (contract 6): what kube-apiserver and kubelogin read from an issuer's
`/.well-known/openid-configuration` and its JWKS, checked before any engineer signs in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_lib.oidc import GOOGLE_USERINFO_EMAIL_SCOPE, GOOGLE_USERINFO_PROFILE_SCOPE, IdentityProviderType
from doctor.console import PUBLIC_CLIENT_SETTING
from doctor.http import FetchError, IdpHttps
from doctor.report import Report, Status
from doctor.targets import Issuer

SIGNING_ALGORITHMS = ("RS256", "ES256")
"""What doctor accepts for ID tokens: the algorithms every Kubernetes OIDC authenticator verifies."""

# Google lists the short names of the scopes its Desktop-app clients are given as URLs.
_SCOPE_ALIASES = {GOOGLE_USERINFO_EMAIL_SCOPE: "email", GOOGLE_USERINFO_PROFILE_SCOPE: "profile"}


@dataclass(frozen=True, kw_only=True)
class IssuerDocuments:
    """An issuer's discovery document and JWKS as fetched (once per issuer, however many IdPs use it)."""

    discovery_url: str
    document: dict[str, Any] | None
    error: FetchError | None
    jwks: dict[str, Any] | None
    jwks_error: str | None

    @property
    def jwks_uri(self) -> str | None:
        value = (self.document or {}).get("jwks_uri")
        return value if isinstance(value, str) else None


def discovery_url(issuer: str) -> str:
    """OpenID Connect Discovery 1.0 §4: the issuer without its trailing slash, then the well-known path."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def fetch_documents(https: IdpHttps, issuer: str) -> IssuerDocuments:
    url = discovery_url(issuer)
    try:
        document = https.get_json(url)
    except FetchError as error:
        return IssuerDocuments(discovery_url=url, document=None, error=error, jwks=None, jwks_error=None)
    if not isinstance(document, dict):
        return IssuerDocuments(
            discovery_url=url,
            document=None,
            error=FetchError(f"{url} answered JSON that is not an object"),
            jwks=None,
            jwks_error=None,
        )
    jwks: dict[str, Any] | None = None
    jwks_error: str | None = None
    jwks_uri = document.get("jwks_uri")
    if not isinstance(jwks_uri, str):
        jwks_error = "the discovery document has no jwks_uri"
    else:
        try:
            body = https.get_json(jwks_uri)
        except FetchError as error:
            jwks_error = str(error)
        else:
            if isinstance(body, dict) and isinstance(body.get("keys"), list):
                jwks = body
            else:
                jwks_error = f"{jwks_uri} answered JSON without a `keys` list (not a JWK Set)"
    return IssuerDocuments(discovery_url=url, document=document, error=None, jwks=jwks, jwks_error=jwks_error)


def signing_keys(jwks: dict[str, Any]) -> list[str]:
    """The algorithm of each key in the set that can verify ID tokens (RS256 or ES256)."""
    algorithms = []
    for key in jwks.get("keys", []):
        if not isinstance(key, dict) or key.get("use", "sig") != "sig":
            continue
        if key.get("kty") == "RSA" and key.get("alg", "RS256") == "RS256":
            algorithms.append("RS256")
        elif key.get("kty") == "EC" and key.get("crv") == "P-256" and key.get("alg", "ES256") == "ES256":
            algorithms.append("ES256")
    return algorithms


@dataclass(frozen=True, kw_only=True)
class _Offered:
    """A value a discovery document must list for kubelogin's flow to work."""

    check: str
    field: str
    value: str
    ok: str
    needed: str
    """Why it is needed and what to change (the IdP's console setting follows)."""
    when_absent: str | None
    """The note when the document doesn't list the field at all; None: a failure."""


_PUBLIC_CLIENT_AUTH = _Offered(
    check="client authentication",
    field="token_endpoint_auth_methods_supported",
    value="none",
    ok="none (a public client, no secret) is supported",
    needed="kubelogin's client is public and has no secret; allow public clients",
    when_absent=(
        "(the default is client_secret_basic); the public client needs `none`: run doctor --login to prove it works"
    ),
)
_OFFERED = (
    _Offered(
        check="response types",
        field="response_types_supported",
        value="code",
        ok="code (the authorization code flow) is supported",
        needed="kubelogin signs in with the authorization code flow; enable it for the app",
        when_absent=None,
    ),
    _Offered(
        check="PKCE methods",
        field="code_challenge_methods_supported",
        value="S256",
        ok="S256 is supported",
        needed="kubelogin's S256 challenge would be refused or ignored; enable PKCE with S256",
        when_absent=(
            "(Entra ID doesn't); k8s-oidc makes kubelogin use S256 anyway (--oidc-pkce-method=S256): run doctor "
            "--login to prove the IdP enforces it"
        ),
    ),
    _PUBLIC_CLIENT_AUTH,
)
"""Checked in this order; the client authentication only for public clients."""


class DiscoveryChecks:
    """The checks of one issuer of one IdP, each reported as one line."""

    def __init__(
        self, report: Report, idp: str, idp_type: IdentityProviderType, issuer: Issuer, *, label: bool
    ) -> None:
        self._report = report
        self._idp = idp
        self._type = idp_type
        self._issuer = issuer
        self._label = f"{issuer.url}: " if label else ""
        """An IdP with several issuers (an Okta server per cluster) names the issuer in each line."""

    def _add(self, check: str, status: Status, message: str) -> None:
        self._report.add(self._idp, check, status, self._label + message)

    def run(self, documents: IssuerDocuments) -> bool:
        """All checks; False when the discovery document could not be read (nothing else can run)."""
        if documents.document is None:
            error = documents.error
            fix = (
                ""
                if error and error.tls
                else f"; check the issuer URL ({self._issuer.setting}) and that it is reachable"
            )
            self._add("discovery", Status.FAIL, f"{error}{fix}")
            return False
        document = documents.document
        self._add("discovery", Status.OK, f"{documents.discovery_url} serves a discovery document")
        self._check_issuer(document.get("issuer"))
        self._check_jwks(documents)
        for rule in _OFFERED:
            if self._issuer.public_client or rule is not _PUBLIC_CLIENT_AUTH:
                self._check_offered(rule, document.get(rule.field))
        self._check_listed("scopes", "scopes_supported", self._issuer.scopes, document.get("scopes_supported"))
        claims = [self._issuer.user_claim] + ([self._issuer.groups_claim] if self._issuer.groups_claim else [])
        self._check_listed("claims", "claims_supported", tuple(claims), document.get("claims_supported"))
        return True

    def _check_issuer(self, found: Any) -> None:
        configured = self._issuer.url
        if found == configured:
            self._add("issuer", Status.OK, f"{configured} equals the discovery document's issuer")
            return
        if not isinstance(found, str):
            self._add("issuer", Status.FAIL, "the discovery document has no issuer: this is not an OpenID provider")
            return
        fix = issuer_fix(self._issuer, found)
        if found.rstrip("/") == configured.rstrip("/"):
            which = "has" if found.endswith("/") else "lacks"
            self._add(
                "issuer",
                Status.FAIL,
                f"the discovery document's issuer {found!r} {which} the trailing slash of the configured "
                f"{configured!r}: "
                f"they differ by a trailing slash, and kube-apiserver and kubelogin compare issuers character for "
                f"character; {fix}",
            )
            return
        self._add(
            "issuer",
            Status.FAIL,
            f"the discovery document's issuer is {found!r}, the configured one {configured!r}: kube-apiserver and "
            f"kubelogin need them equal; {fix}",
        )

    def _check_jwks(self, documents: IssuerDocuments) -> None:
        if documents.jwks is None:
            self._add("jwks", Status.FAIL, f"{documents.jwks_error}: Kubernetes cannot verify any ID token")
            return
        algorithms = signing_keys(documents.jwks)
        if not algorithms:
            self._add(
                "jwks",
                Status.FAIL,
                f"{documents.jwks_uri} serves no RS256 or ES256 signing key: Kubernetes cannot verify the ID tokens; "
                "set the IdP's ID token signing algorithm to RS256 (IdP console)",
            )
            return
        count = f"{len(algorithms)} signing key{'s' if len(algorithms) > 1 else ''}"
        self._add("jwks", Status.OK, f"{documents.jwks_uri} serves {count} ({', '.join(sorted(set(algorithms)))})")

    def _check_offered(self, rule: _Offered, listed: Any) -> None:
        if listed is None and rule.when_absent is not None:
            self._add(rule.check, Status.NOTE, f"{rule.field} is not advertised {rule.when_absent}")
        elif isinstance(listed, list) and rule.value in listed:
            self._add(rule.check, Status.OK, rule.ok)
        else:
            console = PUBLIC_CLIENT_SETTING[self._type]
            message = f"{rule.field} is {listed!r}, without {rule.value}: {rule.needed} ({console})"
            self._add(rule.check, Status.FAIL, message)

    def _check_listed(self, check: str, field: str, wanted: tuple[str, ...], listed: Any) -> None:
        if not isinstance(listed, list):
            return  # optional in the document: nothing to compare with
        missing = [item for item in wanted if item not in listed and _SCOPE_ALIASES.get(item) not in listed]
        if not missing:
            self._add(check, Status.OK, f"{', '.join(wanted)} {'is' if len(wanted) == 1 else 'are'} in {field}")
            return
        if check == "scopes":
            consequence = "the IdP may refuse the sign-in or leave out claims"
            setting = f"identity_providers.{self._idp}.scopes"
        else:
            consequence = "the IdP may not put them in ID tokens (doctor --login shows a real one)"
            setting = f"identity_providers.{self._idp}.user_claim / groups_claim"
        self._add(
            check,
            Status.WARN,
            f"{', '.join(missing)} not in {field} ({', '.join(map(str, listed))}): {consequence}; check {setting}",
        )


def issuer_fix(issuer: Issuer, found: str) -> str:
    """What to change when the IdP's issuer is `found` and the configured one differs."""
    if issuer.from_outputs:
        return (
            f"{issuer.setting} is {issuer.url!r}: redeploy that stack, or compare with the issuer shown in the IdP "
            "console"
        )
    return f'set {issuer.setting}: "{found}"'

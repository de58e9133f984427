"""ID token analysis (contract 6): is the token one Kubernetes accepts — signature, iss, aud, expiry, the
user and groups claims — and then, for each cluster that trusts its issuer and client id, what the
cluster makes of it (`doctor.cluster_view`).

The signature is verified with joserfc against the issuer's JWKS; nothing here does cryptography.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from doctor.cluster_view import report_cluster_view
from doctor.console import GROUPS_OVERAGE_FIX
from doctor.discovery import SIGNING_ALGORITHMS, IssuerDocuments, issuer_fix
from doctor.report import Report, Status
from doctor.targets import IdpTarget, Issuer, Trust
from stacks.config import Config
from stacks.json_input import parse_json

NO_IDP = "-"
"""The IdP column of a token that belongs to none of the checked IdPs."""


@dataclass(frozen=True)
class UnverifiedToken:
    """A compact JWS read without verification, to find out whose keys verify it."""

    text: str
    header: dict[str, Any]
    claims: dict[str, Any]


def parse_token(text: str) -> UnverifiedToken:
    """Read the header and claims of a compact JWS; `ValueError` saying why it is not one."""
    from joserfc import jws
    from joserfc.errors import JoseError

    value = text.strip()
    if value.count(".") == 4:
        raise ValueError("is an encrypted token (JWE); Kubernetes accepts signed ID tokens (JWS) only")
    if value.count(".") != 2:
        raise ValueError("is not an ID token: expected a JWT, three base64url parts separated by dots")
    try:
        compact = jws.extract_compact(value.encode("ascii"))
        claims = parse_json(compact.payload)
    except (JoseError, ValueError, UnicodeError) as error:
        raise ValueError(f"is not an ID token: cannot decode it ({error})") from None
    if not isinstance(claims, dict):
        raise ValueError("is not an ID token: its payload is not a JSON object of claims")
    return UnverifiedToken(value, dict(compact.protected), claims)


def analyze_token(
    report: Report,
    config: Config,
    targets: Sequence[IdpTarget],
    documents: Mapping[str, IssuerDocuments],
    token: UnverifiedToken,
    *,
    nonce: str | None = None,
) -> None:
    """Report every check of `token` under the IdP it belongs to (by `iss`, then `aud`)."""
    matches = _trusts_by_issuer(targets, token)
    if not matches:
        iss = token.claims.get("iss")
        issuers = "; ".join(
            f"{target.name}: {', '.join(dict.fromkeys(t.issuer for t in target.trusts if t.issuer)) or 'not known'}"
            for target in targets
        )
        report.add(
            NO_IDP,
            "token iss",
            Status.FAIL,
            f"the token's iss {iss!r} is no issuer that a cluster trusts through the checked identity providers "
            f"({issuers}); pass --identity-provider NAME for the IdP that issued it (and --outputs for issuers "
            "known only after deploy)",
        )
        return
    target, trusts = matches
    issuer = next(i for i in target.issuers if i.url == trusts[0].issuer)
    _TokenChecks(report, config, target, issuer, trusts, token).run(documents.get(issuer.url), nonce)


def _trusts_by_issuer(targets: Sequence[IdpTarget], token: UnverifiedToken) -> tuple[IdpTarget, list[Trust]] | None:
    """The IdP and its trusts whose issuer is the token's `iss` — exactly, else but for a trailing
    slash, else those of the only IdP checked — preferring an IdP whose client id is in `aud`."""
    iss = token.claims.get("iss")
    iss = iss if isinstance(iss, str) else ""
    known = [(target, trust) for target in targets for trust in target.trusts if trust.issuer]
    for normalized in (_exactly, _without_trailing_slash):
        found = [(target, trust) for target, trust in known if normalized(trust.issuer or "") == normalized(iss)]
        if found:
            audience = _audience(token.claims)
            target = next((t for t, trust in found if trust.client_id in audience), found[0][0])
            return target, [trust for owner, trust in found if owner is target]
    owners = {id(target): target for target, _ in known}
    if len(owners) == 1:
        target, first = known[0]
        return target, [trust for trust in target.trusts if trust.issuer == first.issuer]
    return None


def _exactly(url: str) -> str:
    return url


def _without_trailing_slash(url: str) -> str:
    return url.rstrip("/")


def _audience(claims: Mapping[str, Any]) -> list[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    return [item for item in aud if isinstance(item, str)] if isinstance(aud, list) else []


class _TokenChecks:
    def __init__(
        self,
        report: Report,
        config: Config,
        target: IdpTarget,
        issuer: Issuer,
        trusts: list[Trust],
        token: UnverifiedToken,
    ) -> None:
        self._report = report
        self._config = config
        self._target = target
        self._issuer = issuer
        self._trusts = trusts
        self._token = token
        self._claims = token.claims

    def _add(self, check: str, status: Status, message: str) -> None:
        self._report.add(self._target.name, check, status, message)

    def run(self, documents: IssuerDocuments | None, nonce: str | None) -> None:
        self._check_signature(documents)
        iss_exact = self._check_iss()
        audience = self._check_aud()
        self._check_expiry()
        if nonce is not None:
            self._check_nonce(nonce)
        trust = audience[0] if audience else self._trusts[0]
        user = self._check_user_claim(trust.user_claim)
        if trust.user_claim == "email":
            self._check_email_verified()
        groups = self._check_groups(trust.groups_claim)
        if iss_exact and user is not None:
            for cluster_trust in audience:
                report_cluster_view(self._report, self._config, self._target.name, cluster_trust, user, groups)

    def _check_signature(self, documents: IssuerDocuments | None) -> None:
        if documents is None or documents.jwks is None:
            self._add("token signature", Status.SKIP, f"the JWKS of {self._issuer.url} could not be read (see above)")
            return
        from joserfc import jwt
        from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
        from joserfc.jwk import KeySet

        alg = self._token.header.get("alg")
        kid = self._token.header.get("kid")
        if alg not in SIGNING_ALGORITHMS:
            self._add(
                "token signature",
                Status.FAIL,
                f"signed with {alg!r}: Kubernetes verifies RS256 or ES256 here; set the IdP's ID token signing "
                "algorithm to RS256 (IdP console)",
            )
            return
        try:
            keys = KeySet.import_key_set(documents.jwks)  # type: ignore[arg-type]
            jwt.decode(self._token.text, keys, algorithms=list(SIGNING_ALGORITHMS))
        except BadSignatureError:
            self._add(
                "token signature",
                Status.FAIL,
                f"does not verify against the keys of {documents.jwks_uri}: it was not signed by this issuer "
                "(or its keys rotated since)",
            )
            return
        except InvalidKeyIdError:
            self._add(
                "token signature",
                Status.FAIL,
                f"its key id {kid!r} is not among the keys of {documents.jwks_uri}: it was not signed by this issuer "
                "(or its keys rotated since)",
            )
            return
        except (JoseError, ValueError, TypeError) as error:
            self._add("token signature", Status.FAIL, f"cannot be verified with {documents.jwks_uri}: {error}")
            return
        key = f"key {kid}" if kid else "a key"
        self._add("token signature", Status.OK, f"verified with {key} of {documents.jwks_uri} ({alg})")

    def _check_iss(self) -> bool:
        iss = self._claims.get("iss")
        configured = self._issuer.url
        if iss == configured:
            self._add("token iss", Status.OK, f"{iss} is the configured issuer")
            return True
        fix = issuer_fix(self._issuer, str(iss))
        slash = isinstance(iss, str) and iss.rstrip("/") == configured.rstrip("/")
        difference = "differs from the configured" if not slash else "differs by a trailing slash from the configured"
        self._add("token iss", Status.FAIL, f"{iss!r} {difference} {configured!r}: Kubernetes rejects the token; {fix}")
        return False

    def _check_aud(self) -> list[Trust]:
        """The trusts whose client id is in the token's audience (empty: reported why)."""
        aud = self._claims.get("aud")
        audience = _audience(self._claims)
        unknown = [trust for trust in self._trusts if trust.client_id is None]
        matching = [trust for trust in self._trusts if trust.client_id in audience]
        if matching:
            ids = sorted({trust.client_id or "" for trust in matching})
            self._add("token aud", Status.OK, f"holds the client id {', '.join(ids)}")
        elif unknown and len(unknown) == len(self._trusts):
            from doctor.targets import OUTPUTS_HELP

            self._add(
                "token aud",
                Status.SKIP,
                f"the client id of the app k8s-oidc creates is known only after deploy: {OUTPUTS_HELP}",
            )
        else:
            expected = "; ".join(f"{trust.cluster}: {trust.client_id}" for trust in self._trusts if trust.client_id)
            self._add(
                "token aud",
                Status.FAIL,
                f"{aud!r} does not hold the client id the clusters trust ({expected}): the token was issued to "
                "another application, and Kubernetes rejects it; sign in with that client id",
            )
        return matching

    def _check_expiry(self) -> None:
        exp = self._claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            self._add("token expiry", Status.FAIL, f"exp is {exp!r}, not a time: Kubernetes rejects the token")
            return
        when = datetime.fromtimestamp(exp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if exp <= time.time():
            self._add(
                "token expiry",
                Status.FAIL,
                f"expired at {when}: Kubernetes rejects it; get a fresh token (kubelogin signs in again by itself)",
            )
        else:
            self._add("token expiry", Status.OK, f"valid until {when}")

    def _check_nonce(self, nonce: str) -> None:
        if self._claims.get("nonce") == nonce:
            self._add("token nonce", Status.OK, "matches the sign-in request")
        else:
            self._add(
                "token nonce",
                Status.FAIL,
                f"is {self._claims.get('nonce')!r}, not the nonce of the sign-in request: the IdP must return it "
                "unchanged (kubelogin refuses the token)",
            )

    def _check_user_claim(self, claim: str) -> str | None:
        value = self._claims.get(claim)
        if isinstance(value, str) and value:
            self._add("user claim", Status.OK, f"{claim} = {value}")
            return value
        setting = f"identity_providers.{self._target.name}"
        if claim not in self._claims:
            present = ", ".join(sorted(self._claims))
            self._add(
                "user claim",
                Status.FAIL,
                f"the token has no {claim} claim (it has {present}): Kubernetes rejects it; request the scope that "
                f"releases it ({setting}.scopes) or set {setting}.user_claim to a claim it has",
            )
        else:
            self._add(
                "user claim",
                Status.FAIL,
                f"{claim} is {value!r}, not a non-empty string: Kubernetes rejects the token; set "
                f"{setting}.user_claim to a claim that holds the user name",
            )
        return None

    def _check_email_verified(self) -> None:
        verified = self._claims.get("email_verified")
        setting = f"identity_providers.{self._target.name}.user_claim"
        if verified is True:
            self._add("email_verified", Status.OK, "true")
        elif "email_verified" not in self._claims:
            self._add(
                "email_verified",
                Status.FAIL,
                f"missing while the user claim is email: Kubernetes needs it true; make the IdP release "
                f"email_verified (with the email scope), or set {setting} to another claim",
            )
        else:
            self._add(
                "email_verified",
                Status.FAIL,
                f"is {verified!r} while the user claim is email: kube-apiserver rejects the token; verify the "
                f"user's email address at the IdP, or set {setting} to another claim",
            )

    def _check_groups(self, claim: str | None) -> list[str]:
        if claim is None:
            return []
        names = self._claims.get("_claim_names")
        if claim not in self._claims and isinstance(names, dict) and claim in names:
            self._add(
                "groups claim",
                Status.FAIL,
                f"the token carries _claim_names/_claim_sources instead of {claim}: Entra ID's groups overage "
                f"(more than 200 groups), so Kubernetes sees no groups; {GROUPS_OVERAGE_FIX}",
            )
            return []
        value = self._claims.get(claim)
        setting = f"identity_providers.{self._target.name}"
        if value is None:
            self._add(
                "groups claim",
                Status.WARN,
                f"the token has no {claim} claim: Kubernetes sees no groups, so only access rules naming the user "
                f"match; check that the IdP releases it for {setting}.scopes, or set {setting}.groups_claim",
            )
            return []
        groups = [value] if isinstance(value, str) else value
        if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
            self._add(
                "groups claim",
                Status.FAIL,
                f"{claim} is {value!r}: Kubernetes needs a string or a list of strings, and rejects the token; "
                f"set {setting}.groups_claim to a claim that lists the groups",
            )
            return []
        self._add("groups claim", Status.OK, f"{claim} = {', '.join(groups) if groups else '(an empty list)'}")
        return groups

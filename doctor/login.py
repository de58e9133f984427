"""`--login`: a real sign-in as kubelogin does it — authorization code with PKCE S256, the redirect to a
loopback listener on the first free `redirect_ports` port — done twice: first the code is exchanged
with a wrong `code_verifier`, which the IdP must refuse (else a stolen code is enough to sign in),
then normally; the ID token of the second is then checked like `--id-token`. The listener is
`doctor.loopback`'s."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import quote, urlencode

from constructs_lib.oidc import GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE
from doctor.console import PUBLIC_CLIENT_SETTING
from doctor.discovery import IssuerDocuments
from doctor.http import FetchError, IdpHttps, JsonResponse
from doctor.id_token import UnverifiedToken, parse_token
from doctor.loopback import CallbackServer, loopback_listener
from doctor.report import Report, Status, terminal_text
from doctor.targets import IdpTarget, Trust

LOGIN_TIMEOUT_SECONDS = 300.0
"""How long each sign-in waits for the browser's redirect."""
CLIENT_SECRET_ENVIRONMENT = f"TF_VAR_{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}"
"""Where a Google Workspace client's secret comes from when the outputs don't carry it (the same
variable its stacks read)."""


@dataclass(frozen=True)
class SignedIn:
    """The ID token of the normal sign-in, and the nonce it must carry."""

    token: UnverifiedToken
    nonce: str


def _pkce_pair() -> tuple[str, str]:
    """A code_verifier (RFC 7636: 43–128 unreserved characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    return verifier, challenge


class SignIn:
    """The two sign-ins of one IdP application (issuer + client id)."""

    def __init__(
        self,
        report: Report,
        target: IdpTarget,
        trust: Trust,
        documents: IssuerDocuments,
        https: IdpHttps,
        *,
        ports: Sequence[int],
        open_browser: bool,
        prompt: TextIO,
    ) -> None:
        self._report = report
        self._target = target
        self._trust = trust
        self._document = documents.document or {}
        self._https = https
        self._ports = ports
        self._open_browser = open_browser
        self._prompt = prompt
        self._secret = trust.client_secret or (
            None if trust.public_client else os.environ.get(CLIENT_SECRET_ENVIRONMENT)
        )

    def _add(self, check: str, status: Status, message: str) -> None:
        self._report.add(self._target.name, check, status, message)

    def run(self) -> SignedIn | None:
        if not self._trust.public_client and not self._secret:
            self._add(
                "sign-in",
                Status.SKIP,
                f"this client keeps a secret (Google's Desktop-app client): set {CLIENT_SECRET_ENVIRONMENT}, or pass "
                "--outputs with the sensitive outputs (--outputs-file-include-sensitive-outputs)",
            )
            return None
        endpoints = self._endpoints()
        if endpoints is None:
            return None
        server = loopback_listener(self._ports)
        if server is None:
            self._add(
                "sign-in",
                Status.FAIL,
                f"none of the redirect ports {', '.join(map(str, self._ports))} is free on 127.0.0.1 (kubelogin needs "
                "one too): stop what listens there, or change defaults.redirect_ports (and redeploy: the IdP apps "
                "register them)",
            )
            return None
        with server:
            redirect_uri = f"http://localhost:{server.server_address[1]}"
            return self._twice(server, redirect_uri, *endpoints)

    def _endpoints(self) -> tuple[str, str] | None:
        found = []
        for field in ("authorization_endpoint", "token_endpoint"):
            value = self._document.get(field)
            if not isinstance(value, str) or not value.startswith("https://"):
                self._add(
                    "sign-in",
                    Status.FAIL,
                    f"the discovery document's {field} is {value!r}, not an https URL: kubelogin cannot sign in",
                )
                return None
            found.append(value)
        return found[0], found[1]

    def _twice(
        self, server: CallbackServer, redirect_uri: str, authorization_endpoint: str, token_endpoint: str
    ) -> SignedIn | None:
        first = self._authorize(
            server,
            redirect_uri,
            authorization_endpoint,
            step="1 of 2: doctor then exchanges the code with a wrong code_verifier, which the IdP must refuse",
        )
        if first is None:
            return None
        code, _verifier, _nonce = first
        wrong_verifier, _ = _pkce_pair()
        try:
            refused = self._exchange(token_endpoint, code, redirect_uri, wrong_verifier)
        except FetchError as error:
            self._add("PKCE", Status.FAIL, f"the token endpoint gave no answer: {error}")
            return None
        self._add("PKCE", *wrong_verifier_verdict(refused, self._pkce_setting()))

        second = self._authorize(
            server,
            redirect_uri,
            authorization_endpoint,
            step="2 of 2: the normal exchange; your IdP session usually makes this one click",
        )
        if second is None:
            return None
        code, verifier, nonce = second
        try:
            answer = self._exchange(token_endpoint, code, redirect_uri, verifier)
        except FetchError as error:
            self._add("sign-in", Status.FAIL, f"the token endpoint gave no answer: {error}")
            return None
        id_token = answer.body.get("id_token") if isinstance(answer.body, dict) else None
        if answer.status_code != 200 or not isinstance(id_token, str):
            self._add(
                "sign-in",
                Status.FAIL,
                f"the token endpoint refused the code: {_error_text(answer)}; {self._client_fix()}",
            )
            return None
        try:
            token = parse_token(id_token)
        except ValueError as error:
            self._add("sign-in", Status.FAIL, f"the IdP's id_token {error}")
            return None
        self._add(
            "sign-in",
            Status.OK,
            f"signed in with client id {self._trust.client_id} and PKCE S256 through {redirect_uri}; the ID token "
            "follows",
        )
        return SignedIn(token, nonce)

    def _pkce_setting(self) -> str:
        return PUBLIC_CLIENT_SETTING[self._target.type]

    def _client_fix(self) -> str:
        if self._trust.public_client:
            return f"the app must be a public client with PKCE ({self._pkce_setting()})"
        return f"check the client secret ({CLIENT_SECRET_ENVIRONMENT} or the stack's oidc_client_secret output)"

    def _authorize(
        self, server: CallbackServer, redirect_uri: str, endpoint: str, *, step: str
    ) -> tuple[str, str, str] | None:
        """One trip through the browser: the code, its verifier and the nonce; None when it failed."""
        verifier, challenge = _pkce_pair()
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        query = {
            "response_type": "code",
            "client_id": self._trust.client_id or "",
            "redirect_uri": redirect_uri,
            "scope": " ".join(self._trust.scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        url = f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query, quote_via=quote)}"
        server.expected_state, server.received = state, None
        server.page = f"Signed in to {self._target.name} ({step.split(':')[0]}). Return to the terminal."
        self._show(url, step)
        params = self._wait(server)
        if params is None:
            self._add(
                "sign-in",
                Status.FAIL,
                f"no sign-in reached {redirect_uri} within {LOGIN_TIMEOUT_SECONDS:g} s: if the IdP showed an error "
                f"page (e.g. a redirect URI mismatch), register {redirect_uri} for client {self._trust.client_id}",
            )
            return None
        if "error" in params or not params.get("code"):
            description = f": {params['error_description']}" if params.get("error_description") else ""
            self._add(
                "sign-in",
                Status.FAIL,
                f"the IdP redirected with error {params.get('error', '(no code)')}{description}; {self._client_fix()}",
            )
            return None
        return params["code"], verifier, nonce

    def _show(self, url: str, step: str) -> None:
        # The URL holds the discovery document's authorization_endpoint: shown escaped, opened as it is.
        print(f"{self._target.name}: sign in ({step}):\n  {terminal_text(url)}", file=self._prompt, flush=True)
        if self._open_browser and not webbrowser.open(url):
            print("  (no browser could be opened: open the URL above yourself)", file=self._prompt, flush=True)

    def _wait(self, server: CallbackServer) -> dict[str, str] | None:
        deadline = time.monotonic() + LOGIN_TIMEOUT_SECONDS
        while server.received is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            server.timeout = remaining
            server.handle_request()
        return server.received

    def _exchange(self, endpoint: str, code: str, redirect_uri: str, verifier: str) -> JsonResponse:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self._trust.client_id or "",
            "code_verifier": verifier,
        }
        headers = {}
        if self._secret:
            # RFC 6749 §2.3.1: both parts form-encoded before Basic, as Go's oauth2 (kubelogin) sends them.
            pair = f"{quote(self._trust.client_id or '', safe='')}:{quote(self._secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        return self._https.request_json("POST", endpoint, data=data, headers=headers)


def wrong_verifier_verdict(answer: JsonResponse, pkce_setting: str) -> tuple[Status, str]:
    """What the token endpoint's answer to a code with a wrong `code_verifier` proves: tokens are a
    failure (PKCE not enforced), only the OAuth refusal `invalid_grant` (RFC 6749 §5.2, what RFC 7636
    §4.6 prescribes) proves the verifier was checked, and any other answer — a server error, another
    OAuth error, no JSON — proves nothing either way."""
    body = answer.body if isinstance(answer.body, dict) else {}
    if answer.status_code == 200 and ("id_token" in body or "access_token" in body):
        return (
            Status.FAIL,
            "PKCE not enforced: the IdP issued tokens for a wrong code_verifier, so a stolen authorization code "
            f"is enough to sign in as the engineer; require PKCE for the app ({pkce_setting})",
        )
    if body.get("error") == "invalid_grant":
        description = f": {body['error_description']}" if body.get("error_description") else ""
        return Status.OK, f"a wrong code_verifier was refused (invalid_grant{description})"
    return (
        Status.WARN,
        f"the exchange with a wrong code_verifier got {_error_text(answer)}, not invalid_grant: doctor can't tell "
        "whether the IdP checks the verifier (see the sign-in line below)",
    )


def _error_text(answer: JsonResponse) -> str:
    body = answer.body if isinstance(answer.body, dict) else {}
    error = body.get("error", "no OAuth error")
    description = f" ({body['error_description']})" if body.get("error_description") else ""
    return f"HTTP {answer.status_code}, {error}{description}"

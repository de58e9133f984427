"""`--login`: real sign-ins at the provider, its login and consent pages driven over HTTP."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from doctor_support import (
    DESKTOP_CLIENT,
    DESKTOP_SECRET,
    JANE,
    PUBLIC_CLIENT,
    Provider,
    check_of,
    doctor_env,
    lines,
    oidc_config_output,
    run_login,
    write_config,
)

from doctor.discovery import IssuerDocuments
from doctor.http import IdpHttps, JsonResponse
from doctor.login import SignIn, wrong_verifier_verdict
from doctor.report import Report, Status
from doctor.targets import build_targets
from stacks.config import load_config


@contextmanager
def listening(port: int) -> Iterator[None]:
    """Something else listening on 127.0.0.1:`port` (an earlier sign-in's port may be in TIME_WAIT)."""
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", port))
        busy.listen()
        yield


def login_lines(output: str) -> list[str]:
    return [line for line in lines(output) if check_of(line) in ("PKCE", "sign-in")]


def healthy_login_lines(idp: str, client_id: str, port: int) -> list[str]:
    return [
        f"ok    {idp}  PKCE: a wrong code_verifier was refused (invalid_grant: grant request is invalid)",
        f"ok    {idp}  sign-in: signed in with client id {client_id} and PKCE S256 through http://localhost:{port}; "
        "the ID token follows",
    ]


def test_a_healthy_sign_in_proves_pkce_and_checks_the_token(config: Path, provider: Provider) -> None:
    result, browser = run_login(config, "--identity-provider", "corp", provider=provider)
    assert result.returncode == 0, result.stdout + result.stderr
    assert login_lines(result.stdout) == healthy_login_lines("corp", PUBLIC_CLIENT, provider.redirect_ports[0])
    output = lines(result.stdout)
    assert "ok    corp  token nonce: matches the sign-in request" in output
    assert (
        "ok    corp  cluster data: Kubernetes sees user corp:jane@example.com, groups corp:admins, corp:developers; "
        "access: ClusterRole cluster-admin (as group admins); edit in namespace team-a (as group developers)"
    ) in output
    # Two trips through the browser, both ending on doctor's listener with a code.
    assert [landing.status_code for landing in browser.landings] == [200, 200]
    assert all(landing.url.params.get("code") for landing in browser.landings)
    authorize = [line.strip() for line in result.stderr.splitlines() if line.startswith("  https://")]
    assert len(authorize) == 2
    assert all("code_challenge_method=S256" in url and "client_secret" not in url for url in authorize)


def test_a_provider_that_accepts_any_verifier_fails(tmp_path: Path, start_provider: Callable[[str], Provider]) -> None:
    provider = start_provider("any-verifier")
    config = write_config(tmp_path, provider)
    result, _ = run_login(config, "--identity-provider", "corp", provider=provider)
    assert result.returncode == 1
    assert login_lines(result.stdout)[0] == (
        "FAIL  corp  PKCE: PKCE not enforced: the IdP issued tokens for a wrong code_verifier, so a stolen "
        "authorization code is enough to sign in as the engineer; require PKCE for the app (JumpCloud admin portal: "
        "SSO Applications > the Custom OIDC app > SSO: Client Authentication Type 'Public (None PKCE)', grant type "
        "Authorization Code)"
    )


def test_an_account_with_an_unverified_email_fails(config: Path, provider: Provider) -> None:
    provider.set_accounts({"unverified": {**JANE, "email_verified": False}})
    result, _ = run_login(config, "--identity-provider", "corp", provider=provider, login="unverified")
    assert result.returncode == 1
    assert (
        "FAIL  corp  email_verified: is False while the user claim is email: kube-apiserver rejects the token; "
        "verify the user's email address at the IdP, or set identity_providers.corp.user_claim to another claim"
    ) in lines(result.stdout)


def test_an_account_without_the_user_claim_fails(config: Path, provider: Provider) -> None:
    result, _ = run_login(config, "--identity-provider", "corp", provider=provider, login="nobody")
    assert result.returncode == 1
    user_claim = next(line for line in lines(result.stdout) if check_of(line) == "user claim")
    assert user_claim.startswith("FAIL  corp  user claim: the token has no email claim (it has ")


def test_a_desktop_app_client_signs_in_with_its_secret(config: Path, provider: Provider) -> None:
    env = doctor_env(provider, TF_VAR_google_workspace_client_secret=DESKTOP_SECRET)
    result, _ = run_login(config, "--identity-provider", "gws", provider=provider, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert login_lines(result.stdout) == healthy_login_lines("gws", DESKTOP_CLIENT, provider.redirect_ports[0])
    assert (
        "ok    gws  cluster lab: Kubernetes sees user gws:jane@example.com, groups (none); access: ClusterRole view "
        "(as user jane@example.com)"
    ) in lines(result.stdout)
    assert DESKTOP_SECRET not in result.stdout + result.stderr


def test_a_desktop_app_client_takes_its_secret_from_the_outputs(config: Path, provider: Provider) -> None:
    outputs = config.parent / "outputs.json"
    oidc_config = oidc_config_output(
        provider,
        client_id=DESKTOP_CLIENT,
        groups_claim=None,
        username_prefix="gws:",
        groups_prefix="gws:",
        scopes=["openid", "email"],
        requires_client_secret=True,
    )
    outputs.write_text(
        json.dumps({"lab-gws": {"oidc_config": oidc_config, "oidc_client_secret": DESKTOP_SECRET}}), encoding="utf-8"
    )
    result, _ = run_login(config, "--identity-provider", "gws", "--outputs", str(outputs), provider=provider)
    assert result.returncode == 0, result.stdout + result.stderr
    assert login_lines(result.stdout) == healthy_login_lines("gws", DESKTOP_CLIENT, provider.redirect_ports[0])
    assert "scope=openid%20email&" in result.stderr  # the deployed stack's scopes, not the config's


def test_a_desktop_app_client_without_its_secret_is_skipped(config: Path, provider: Provider) -> None:
    result, browser = run_login(config, "--identity-provider", "gws", provider=provider)
    assert result.returncode == 0
    assert login_lines(result.stdout) == [
        "skip  gws  sign-in: this client keeps a secret (Google's Desktop-app client): set "
        "TF_VAR_google_workspace_client_secret, or pass --outputs with the sensitive outputs "
        "(--outputs-file-include-sensitive-outputs)"
    ]
    assert browser.landings == []


def test_the_listener_takes_the_first_free_redirect_port(config: Path, provider: Provider) -> None:
    first, second = provider.redirect_ports
    with listening(first):
        result, browser = run_login(config, "--identity-provider", "corp", provider=provider)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"through http://localhost:{second};" in login_lines(result.stdout)[1]
    assert {landing.url.port for landing in browser.landings} == {second}


def test_no_free_redirect_port_fails(config: Path, provider: Provider) -> None:
    with listening(provider.redirect_ports[0]), listening(provider.redirect_ports[1]):
        result, _ = run_login(config, "--identity-provider", "corp", provider=provider)
    assert result.returncode == 1
    ports = ", ".join(map(str, provider.redirect_ports))
    assert login_lines(result.stdout) == [
        f"FAIL  corp  sign-in: none of the redirect ports {ports} is free on 127.0.0.1 (kubelogin needs one too): "
        "stop what listens there, or change defaults.redirect_ports (and redeploy: the IdP apps register them)"
    ]


# --- the wrong code_verifier: only the IdP's refusal proves PKCE -------------------------------------------


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        (JsonResponse(200, {"id_token": "x", "access_token": "y"}), Status.FAIL, "PKCE not enforced: "),
        (JsonResponse(200, {"access_token": "y", "token_type": "Bearer"}), Status.FAIL, "PKCE not enforced: "),
        (JsonResponse(200, {"id_token": "x"}), Status.FAIL, "PKCE not enforced: "),
        (
            JsonResponse(400, {"error": "invalid_grant", "error_description": "grant request is invalid"}),
            Status.OK,
            "a wrong code_verifier was refused (invalid_grant: grant request is invalid)",
        ),
        (
            JsonResponse(500, {"error": "server_error"}),
            Status.WARN,
            "the exchange with a wrong code_verifier got HTTP 500, server_error, not invalid_grant: ",
        ),
        (
            JsonResponse(401, {"error": "invalid_client"}),
            Status.WARN,
            "the exchange with a wrong code_verifier got HTTP 401, invalid_client, not invalid_grant: ",
        ),
        (
            JsonResponse(502, None),
            Status.WARN,
            "the exchange with a wrong code_verifier got HTTP 502, no OAuth error, not invalid_grant: ",
        ),
    ],
    ids=["tokens", "access-token-only", "id-token-only", "invalid-grant", "server-error", "other-error", "no-json"],
)
def test_only_the_idps_refusal_counts_as_proof(answer: JsonResponse, status: Status, message: str) -> None:
    found_status, found_message = wrong_verifier_verdict(answer, "the app's PKCE setting")
    assert found_status is status
    assert found_message.startswith(message)
    if status is Status.FAIL:
        assert found_message.endswith("require PKCE for the app (the app's PKCE setting)")


def test_a_token_endpoint_that_errs_on_the_wrong_verifier_proves_nothing(
    tmp_path: Path, start_provider: Callable[[str], Provider]
) -> None:
    provider = start_provider("first-token-server-error")
    result, _ = run_login(write_config(tmp_path, provider), "--identity-provider", "corp", provider=provider)
    assert result.returncode == 0, result.stdout + result.stderr
    pkce, sign_in = login_lines(result.stdout)
    assert pkce == (
        "warn  corp  PKCE: the exchange with a wrong code_verifier got HTTP 500, server_error (the test provider's "
        "first token request fails), not invalid_grant: doctor can't tell whether the IdP checks the verifier (see "
        "the sign-in line below)"
    )
    assert sign_in.startswith("ok    corp  sign-in: signed in with client id doctor-public")


def test_a_token_endpoint_that_hangs_up_on_the_wrong_verifier_fails(
    tmp_path: Path, start_provider: Callable[[str], Provider]
) -> None:
    provider = start_provider("first-token-hang-up")
    result, browser = run_login(write_config(tmp_path, provider), "--identity-provider", "corp", provider=provider)
    assert result.returncode == 1
    (pkce,) = login_lines(result.stdout)
    assert pkce.startswith(f"FAIL  corp  PKCE: the token endpoint gave no answer: cannot reach {provider.issuer}/")
    assert len(browser.landings) == 1  # no second sign-in on top of an exchange that proved nothing


def test_a_hostile_error_description_is_shown_escaped(
    tmp_path: Path, start_provider: Callable[[str], Provider]
) -> None:
    """The IdP's own words reach the terminal, but can't drive it: no escape sequence, faked line or bidi
    override survives in the line doctor prints."""
    provider = start_provider("hostile-error-description")
    result, _ = run_login(write_config(tmp_path, provider), "--identity-provider", "corp", provider=provider)
    assert result.returncode == 0, result.stdout + result.stderr
    pkce, sign_in = login_lines(result.stdout)
    assert pkce == (
        "ok    corp  PKCE: a wrong code_verifier was refused (invalid_grant: bad verifier\\x1b[2J"
        "\\x1b]8;;https://evil.example\\x07click\\x0d\\x0aok    corp  sign-in: fine\\u202eevil)"
    )
    assert sign_in.startswith("ok    corp  sign-in: signed in with client id doctor-public")
    assert all(line.isprintable() for line in result.stdout.splitlines())


def test_the_sign_in_url_is_shown_escaped(config: Path) -> None:
    """The URL doctor prints starts with the discovery document's authorization_endpoint: input, shown escaped."""
    (target,) = build_targets(load_config(config), ["corp"], None, None)
    documents = IssuerDocuments(discovery_url="", document={}, error=None, jwks=None, jwks_error=None)
    prompt = io.StringIO()
    with IdpHttps() as https:
        report = Report(io.StringIO(), json_output=False, name_width=4)
        sign_in = SignIn(
            report, target, target.trusts[0], documents, https, ports=[8000], open_browser=False, prompt=prompt
        )
        sign_in._show("https://idp.example/auth\x1b[2J\u202e?state=s", "1 of 2: a test")
    assert prompt.getvalue() == "corp: sign in (1 of 2: a test):\n  https://idp.example/auth\\x1b[2J\\u202e?state=s\n"

"""`--id-token`: ID tokens signed with the real provider's key (its JWKS verifies them), good and bad."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from doctor_support import (
    DISCOVERY_CHECKS,
    PROJECT_ROOT,
    PUBLIC_CLIENT,
    Provider,
    check_of,
    doctor_env,
    lines,
    oidc_config_output,
    run_doctor,
    write_config,
)
from joserfc import jwt
from joserfc.jwk import RSAKey

from doctor.discovery import IssuerDocuments
from doctor.id_token import analyze_token, parse_token
from doctor.report import Report
from doctor.targets import build_targets
from stacks.config import load_config

EXPIRED_AT = 1_700_000_000  # 2023-11-14T22:13:20Z
VALID_UNTIL = 4_102_444_800  # 2100-01-01T00:00:00Z


def check_token(config: Path, provider: Provider, token: str, *args: str) -> tuple[int, list[str]]:
    """Run doctor on `token` for corp; the exit status and the lines of the token checks."""
    path = config.parent / "token.jwt"
    path.write_text(token + "\n", encoding="utf-8")
    result = run_doctor(config, "--identity-provider", "corp", "--id-token", str(path), *args, env=doctor_env(provider))
    assert "Traceback" not in result.stderr
    return result.returncode, [line for line in lines(result.stdout) if check_of(line) not in DISCOVERY_CHECKS]


def test_a_good_token_shows_what_each_cluster_sees(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(exp=VALID_UNTIL))
    assert code == 0, output
    assert output == [
        f"ok    corp  token signature: verified with key doctor-test-key of {provider.issuer}/jwks (RS256)",
        f"ok    corp  token iss: {provider.issuer} is the configured issuer",
        f"ok    corp  token aud: holds the client id {PUBLIC_CLIENT}",
        "ok    corp  token expiry: valid until 2100-01-01T00:00:00Z",
        "ok    corp  user claim: email = jane@example.com",
        "ok    corp  email_verified: true",
        "ok    corp  groups claim: groups = admins, developers",
        "ok    corp  cluster prod: Kubernetes sees user corp:jane@example.com, groups corp:admins, corp:developers; "
        "access: ClusterRole cluster-admin (as group admins)",
        "note  corp  cluster prod: the token doesn't carry group auditors (ClusterRole view), named in access for "
        "this IdP",
        "ok    corp  cluster data: Kubernetes sees user corp:jane@example.com, groups corp:admins, corp:developers; "
        "access: ClusterRole cluster-admin (as group admins); edit in namespace team-a (as group developers)",
    ]


def test_a_token_from_standard_input(config: Path, provider: Provider) -> None:
    result = run_doctor(
        config, "--identity-provider", "corp", "--id-token", "-", env=doctor_env(provider), stdin=provider.token()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok    corp  user claim: email = jane@example.com" in lines(result.stdout)


def test_email_verified_false_fails(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(email_verified=False))
    assert code == 1
    assert (
        "FAIL  corp  email_verified: is False while the user claim is email: kube-apiserver rejects the token; "
        "verify the user's email address at the IdP, or set identity_providers.corp.user_claim to another claim"
    ) in output


def test_email_verified_missing_fails(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(email_verified=None))
    assert code == 1
    assert (
        "FAIL  corp  email_verified: missing while the user claim is email: Kubernetes needs it true; make the IdP "
        "release email_verified (with the email scope), or set identity_providers.corp.user_claim to another claim"
    ) in output


def test_an_expired_token_fails(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(iat=EXPIRED_AT - 3600, exp=EXPIRED_AT))
    assert code == 1
    assert (
        "FAIL  corp  token expiry: expired at 2023-11-14T22:13:20Z: Kubernetes rejects it; get a fresh token "
        "(kubelogin signs in again by itself)"
    ) in output


def test_a_token_for_another_audience_fails(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(aud=["someone-else"]))
    assert code == 1
    assert (
        "FAIL  corp  token aud: ['someone-else'] does not hold the client id the clusters trust (prod: doctor-public; "
        "data: doctor-public): the token was issued to another application, and Kubernetes rejects it; sign in with "
        "that client id"
    ) in output
    assert not any("cluster prod" in line for line in output)


def test_entras_groups_overage_fails(config: Path, provider: Provider) -> None:
    overage = provider.token(
        groups=None,
        _claim_names={"groups": "src1"},
        _claim_sources={"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/jane/getMemberObjects"}},
    )
    code, output = check_token(config, provider, overage)
    assert code == 1
    assert (
        "FAIL  corp  groups claim: the token carries _claim_names/_claim_sources instead of groups: Entra ID's groups "
        "overage (more than 200 groups), so Kubernetes sees no groups; assign fewer groups to the app (Entra admin "
        "center: Enterprise applications > the app > Users and groups; k8s-oidc's app emits only the groups assigned "
        "to it), so that a user's token holds at most 200"
    ) in output
    assert (
        "note  corp  cluster prod: Kubernetes sees user corp:jane@example.com, groups (none); no access rule matches: "
        "the user can sign in but do nothing"
    ) in output


def test_a_token_without_the_user_claim_fails(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(email=None))
    assert code == 1
    assert (
        "FAIL  corp  user claim: the token has no email claim (it has aud, email_verified, exp, groups, iat, iss, "
        "sub): Kubernetes rejects it; request the scope that releases it (identity_providers.corp.scopes) or set "
        "identity_providers.corp.user_claim to a claim it has"
    ) in output
    assert not any(line.startswith(("ok    corp  cluster", "note  corp  cluster")) for line in output)


def test_a_token_without_groups_is_a_warning(config: Path, provider: Provider) -> None:
    code, output = check_token(config, provider, provider.token(groups=None))
    assert code == 0
    assert (
        "warn  corp  groups claim: the token has no groups claim: Kubernetes sees no groups, so only access rules "
        "naming the user match; check that the IdP releases it for identity_providers.corp.scopes, or set "
        "identity_providers.corp.groups_claim"
    ) in output


def test_a_token_signed_by_another_key_fails(config: Path, provider: Provider) -> None:
    impostor = RSAKey.generate_key(2048, private=True)
    claims = json.loads(json.dumps({"iss": provider.issuer, "aud": PUBLIC_CLIENT, "exp": VALID_UNTIL, "sub": "x"}))
    forged = jwt.encode({"alg": "RS256", "kid": "doctor-test-key"}, claims, impostor)
    code, output = check_token(config, provider, forged)
    assert code == 1
    assert (
        f"FAIL  corp  token signature: does not verify against the keys of {provider.issuer}/jwks: it was not signed "
        "by this issuer (or its keys rotated since)"
    ) in output
    unknown_kid = jwt.encode({"alg": "RS256", "kid": "other"}, claims, impostor)
    code, output = check_token(config, provider, unknown_kid)
    assert code == 1
    assert (
        f"FAIL  corp  token signature: its key id 'other' is not among the keys of {provider.issuer}/jwks: it was "
        "not signed by this issuer (or its keys rotated since)"
    ) in output


def test_a_token_iss_off_by_a_slash_fails_naming_the_slash(tmp_path: Path, provider: Provider) -> None:
    config = write_config(tmp_path, provider, corp_issuer=provider.issuer + "/")
    path = tmp_path / "token.jwt"
    path.write_text(provider.token(), encoding="utf-8")
    result = run_doctor(config, "--identity-provider", "corp", "--id-token", str(path), env=doctor_env(provider))
    assert result.returncode == 1
    assert (
        f"FAIL  corp  token iss: '{provider.issuer}' differs by a trailing slash from the configured "
        f"'{provider.issuer}/': Kubernetes rejects the token; set identity_providers.corp.issuer_url: "
        f'"{provider.issuer}"'
    ) in lines(result.stdout)


def test_each_cluster_shows_its_own_prefixes(config: Path, provider: Provider) -> None:
    # Deployed outputs are what the clusters trust: here data's stack carries other prefixes.
    outputs = config.parent / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "prod-corp": {"oidc_config": oidc_config_output(provider, username_prefix="p:", groups_prefix="p:g:")},
                "data-corp": {"oidc_config": oidc_config_output(provider, username_prefix="d:", groups_prefix="d:g:")},
            }
        ),
        encoding="utf-8",
    )
    code, output = check_token(config, provider, provider.token(), "--outputs", str(outputs))
    assert code == 0, output
    assert [line for line in output if line.startswith("ok    corp  cluster")] == [
        "ok    corp  cluster prod: Kubernetes sees user p:jane@example.com, groups p:g:admins, p:g:developers; "
        "access: ClusterRole cluster-admin (as group admins)",
        "ok    corp  cluster data: Kubernetes sees user d:jane@example.com, groups d:g:admins, d:g:developers; "
        "access: ClusterRole cluster-admin (as group admins); edit in namespace team-a (as group developers)",
    ]


def test_a_token_of_no_checked_idp_fails(config: Path, provider: Provider) -> None:
    path = config.parent / "token.jwt"
    path.write_text(provider.token(iss="https://elsewhere.example"), encoding="utf-8")
    result = run_doctor(config, "--id-token", str(path), env=doctor_env(provider))
    assert result.returncode == 1
    assert (
        "FAIL  -     token iss: the token's iss 'https://elsewhere.example' is no issuer that a cluster trusts through "
        f"the checked identity providers (corp: {provider.issuer}; gws: {provider.issuer}); pass --identity-provider "
        "NAME for the IdP that issued it (and --outputs for issuers known only after deploy)"
    ) in lines(result.stdout)


def test_a_sign_in_token_must_carry_the_requests_nonce(config: Path, provider: Provider) -> None:
    loaded = load_config(config)
    targets = build_targets(loaded, ["corp"], None, None)
    documents = {
        provider.issuer: IssuerDocuments(
            discovery_url=f"{provider.issuer}/.well-known/openid-configuration",
            document={"issuer": provider.issuer, "jwks_uri": f"{provider.issuer}/jwks"},
            error=None,
            jwks={"keys": [provider.key.as_dict(private=False)]},
            jwks_error=None,
        )
    }
    for nonce, expected in (
        ("n-1", "ok    corp  token nonce: matches the sign-in request"),
        (
            "n-2",
            "FAIL  corp  token nonce: is 'n-1', not the nonce of the sign-in request: the IdP must return it "
            "unchanged (kubelogin refuses the token)",
        ),
    ):
        out = io.StringIO()
        report = Report(out, json_output=False, name_width=4)
        analyze_token(report, loaded, targets, documents, parse_token(provider.token(nonce="n-1")), nonce=nonce)
        assert expected in out.getvalue().splitlines()


# --- expiry: the exact boundary, no grace ---------------------------------------------------------------

NOW = 1_800_000_000.0
"""The clock of the expiry tests: 2027-01-15T08:00:00Z."""


def expiry_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exp: float) -> str:
    """The `token expiry` line of a token expiring at `exp`, checked at NOW."""
    issuer = "https://idp.example"
    key = RSAKey.generate_key(2048, parameters={"kid": "k"}, private=True)
    config_file = tmp_path / "oidc.yaml"
    config_file.write_text(
        f"""\
version: 1
identity_providers:
  corp: {{type: jumpcloud, prefix: "corp:", issuer_url: "{issuer}", client_id: {PUBLIC_CLIENT}}}
clusters:
  prod: {{type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [corp]}}
""",
        encoding="utf-8",
    )
    config = load_config(config_file)
    documents = {
        issuer: IssuerDocuments(
            discovery_url=f"{issuer}/.well-known/openid-configuration",
            document={"issuer": issuer, "jwks_uri": f"{issuer}/keys"},
            error=None,
            jwks={"keys": [key.as_dict(private=False)]},
            jwks_error=None,
        )
    }
    claims = {"iss": issuer, "aud": PUBLIC_CLIENT, "sub": "jane", "exp": exp, "email": "j@example.com"}
    token = parse_token(jwt.encode({"alg": "RS256", "kid": "k"}, claims, key))
    monkeypatch.setattr("doctor.id_token.time.time", lambda: NOW)
    out = io.StringIO()
    analyze_token(
        Report(out, json_output=False, name_width=4),
        config,
        build_targets(config, ["corp"], None, None),
        documents,
        token,
    )
    (line,) = [line for line in out.getvalue().splitlines() if check_of(line) == "token expiry"]
    return line


def test_a_token_expired_two_minutes_ago_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert expiry_line(tmp_path, monkeypatch, NOW - 120) == (
        "FAIL  corp  token expiry: expired at 2027-01-15T07:58:00Z: Kubernetes rejects it; get a fresh token "
        "(kubelogin signs in again by itself)"
    )


@pytest.mark.parametrize(
    ("exp", "status"),
    [(NOW - 3600, "FAIL"), (NOW - 1, "FAIL"), (NOW, "FAIL"), (NOW + 1, "ok"), (NOW + 120, "ok")],
    ids=["an-hour-ago", "a-second-ago", "now", "in-a-second", "in-two-minutes"],
)
def test_a_token_is_valid_until_exactly_its_exp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exp: float, status: str
) -> None:
    # As kube-apiserver sees it: no leeway; a token is expired from its `exp` second on.
    assert expiry_line(tmp_path, monkeypatch, exp).split()[0] == status


# --- the token file and its JSON within bounds ---------------------------------------------------------


def unsigned_token(payload: bytes) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join((part(b'{"alg": "RS256"}'), part(payload), part(b"signature")))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            b"[" * 40_000 + b"]" * 40_000,
            "JSON nested 40000 levels deep: at most 64 levels of objects and arrays are read",
        ),
        (b'{"exp": ' + b"9" * 5_000 + b"}", "a number with 5000 digits: at most 64 digits are read (e.g. 8000 or 1.5)"),
    ],
    ids=["deep", "long-number"],
)
def test_hostile_json_in_a_token_is_bad_input(tmp_path: Path, payload: bytes, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_token(unsigned_token(payload))
    assert str(raised.value) == f"is not an ID token: cannot decode it ({message})"
    path = tmp_path / "token.jwt"
    path.write_text(unsigned_token(payload), encoding="ascii")
    result = run_doctor(PROJECT_ROOT / "oidc.yaml", "--id-token", str(path), env=doctor_env(None))
    assert result.returncode == 2
    assert result.stderr == f"error: {path}: --id-token: the content is not an ID token: cannot decode it ({message})\n"

"""Discovery checks against a real OpenID provider (node-oidc-provider) and its broken variants."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import trustme
from doctor_support import (
    Provider,
    check_of,
    doctor_env,
    free_port,
    lines,
    oidc_config_output,
    run_doctor,
    write_config,
)
from hostile_https import HostileServer, json_answer

from constructs_lib.oidc import GOOGLE_USERINFO_EMAIL_SCOPE, GOOGLE_USERINFO_PROFILE_SCOPE, IdentityProviderType
from doctor.discovery import DiscoveryChecks, IssuerDocuments, discovery_url, fetch_documents, signing_keys
from doctor.http import IdpHttps
from doctor.report import Report
from doctor.targets import Issuer
from stacks.config import load_config


def healthy_lines(config: Path, provider: Provider) -> list[str]:
    """Every discovery line of the two IdPs of `write_config` when the provider is healthy."""
    loaded = load_config(config)
    issuer = provider.issuer
    lines = []
    for name in ("corp", "gws"):
        shown = f"{name:<4}"
        scopes = loaded.scopes(name)
        claims = [loaded.user_claim(name)] + [c for c in [loaded.groups_claim(name)] if c]
        lines += [
            f"ok    {shown}  discovery: {issuer}/.well-known/openid-configuration serves a discovery document",
            f"ok    {shown}  issuer: {issuer} equals the discovery document's issuer",
            f"ok    {shown}  jwks: {issuer}/jwks serves 1 signing key (RS256)",
            f"ok    {shown}  response types: code (the authorization code flow) is supported",
            f"ok    {shown}  PKCE methods: S256 is supported",
        ]
        if name == "corp":  # gws is a confidential client: it authenticates with its secret
            lines.append(f"ok    {shown}  client authentication: none (a public client, no secret) is supported")
        lines += [
            f"ok    {shown}  scopes: {', '.join(scopes)} are in scopes_supported",
            f"ok    {shown}  claims: {', '.join(claims)} {'are' if len(claims) > 1 else 'is'} in claims_supported",
        ]
    return lines


def test_a_healthy_provider_passes_every_check(config: Path, provider: Provider) -> None:
    result = run_doctor(config, env=doctor_env(provider))
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines(result.stdout) == healthy_lines(config, provider)
    assert result.stderr == ""


def test_an_issuer_off_by_a_trailing_slash_fails_naming_the_slash(tmp_path: Path, provider: Provider) -> None:
    config = write_config(tmp_path, provider, corp_issuer=provider.issuer + "/")
    result = run_doctor(config, "--identity-provider", "corp", env=doctor_env(provider))
    assert result.returncode == 1
    issuer = provider.issuer
    assert (
        f"FAIL  corp  issuer: the discovery document's issuer '{issuer}' lacks the trailing slash of the configured "
        f"'{issuer}/': they differ by a trailing slash, and kube-apiserver and kubelogin compare issuers character "
        f'for character; set identity_providers.corp.issuer_url: "{issuer}"'
    ) in lines(result.stdout)
    # The document is still read (the slash-less URL serves it) and the other checks still run.
    assert f"ok    corp  jwks: {issuer}/jwks serves 1 signing key (RS256)" in lines(result.stdout)


def test_a_provider_without_s256_fails(tmp_path: Path, start_provider: Callable[[str], Provider]) -> None:
    provider = start_provider("no-s256")
    result = run_doctor(write_config(tmp_path, provider), "--identity-provider", "corp", env=doctor_env(provider))
    assert result.returncode == 1
    assert (
        "FAIL  corp  PKCE methods: code_challenge_methods_supported is ['plain'], without S256: kubelogin's S256 "
        "challenge would be refused or ignored; enable PKCE with S256 (JumpCloud admin portal: SSO Applications > "
        "the Custom OIDC app > SSO: Client Authentication Type 'Public (None PKCE)', grant type Authorization Code)"
    ) in lines(result.stdout)


def test_a_provider_listing_no_pkce_methods_gets_a_note(
    tmp_path: Path, start_provider: Callable[[str], Provider]
) -> None:
    provider = start_provider("no-pkce-methods")
    result = run_doctor(write_config(tmp_path, provider), "--identity-provider", "corp", env=doctor_env(provider))
    assert result.returncode == 0, result.stdout
    assert (
        "note  corp  PKCE methods: code_challenge_methods_supported is not advertised (Entra ID doesn't); k8s-oidc "
        "makes kubelogin use S256 anyway (--oidc-pkce-method=S256): run doctor --login to prove the IdP enforces it"
    ) in lines(result.stdout)


def test_a_jwks_uri_over_http_is_refused(tmp_path: Path, start_provider: Callable[[str], Provider]) -> None:
    provider = start_provider("http-jwks")
    result = run_doctor(write_config(tmp_path, provider), "--identity-provider", "corp", env=doctor_env(provider))
    assert result.returncode == 1
    jwks_uri = provider.issuer.replace("https:", "http:") + "/jwks"
    assert (
        f"FAIL  corp  jwks: {jwks_uri} is not https: identity providers must be reached over TLS: Kubernetes cannot "
        "verify any ID token"
    ) in lines(result.stdout)


def test_scopes_and_claims_the_document_does_not_list_are_warnings(tmp_path: Path, provider: Provider) -> None:
    settings = "    scopes: [openid, email, groups]\n    groups_claim: roles\n"
    config = write_config(tmp_path, provider, corp_settings=settings)
    result = run_doctor(config, "--identity-provider", "corp", env=doctor_env(provider))
    assert result.returncode == 0, result.stdout
    output = lines(result.stdout)
    scopes_line = next(line for line in output if line.startswith("warn  corp  scopes:"))
    assert scopes_line.startswith("warn  corp  scopes: groups not in scopes_supported (openid, offline_access, ")
    assert scopes_line.endswith(
        "): the IdP may refuse the sign-in or leave out claims; check identity_providers.corp.scopes"
    )
    claims_line = next(line for line in output if line.startswith("warn  corp  claims:"))
    assert claims_line.startswith("warn  corp  claims: roles not in claims_supported (")
    assert claims_line.endswith(
        "): the IdP may not put them in ID tokens (doctor --login shows a real one); check "
        "identity_providers.corp.user_claim / groups_claim"
    )


def test_an_unreachable_issuer_fails_with_the_url_and_the_cause(tmp_path: Path, provider: Provider) -> None:
    issuer = f"https://127.0.0.1:{free_port()}"
    config = write_config(tmp_path, provider, corp_issuer=issuer)
    result = run_doctor(config, "--identity-provider", "corp", env=doctor_env(provider))
    assert result.returncode == 1
    assert lines(result.stdout) == [
        f"FAIL  corp  discovery: cannot reach {issuer}/.well-known/openid-configuration: [Errno 111] Connection "
        "refused; check the issuer URL (identity_providers.corp.issuer_url) and that it is reachable"
    ]
    assert "Traceback" not in result.stderr


def test_a_certificate_from_an_untrusted_ca_fails_as_tls(tmp_path: Path, config: Path, provider: Provider) -> None:
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(other_ca)
    env = doctor_env(None, SSL_CERT_FILE=str(other_ca))
    result = run_doctor(config, "--identity-provider", "corp", env=env)
    assert result.returncode == 1
    assert lines(result.stdout) == [
        f"FAIL  corp  discovery: TLS failure talking to {provider.issuer}/.well-known/openid-configuration: unable "
        f"to get local issuer certificate; doctor trusts the system CA store and SSL_CERT_FILE={other_ca}: if the "
        "IdP's certificate comes from a private CA, point SSL_CERT_FILE at that CA's PEM file"
    ]
    assert "Traceback" not in result.stderr


def test_json_lists_every_check_as_an_object(config: Path, provider: Provider) -> None:
    result = run_doctor(config, "--json", env=doctor_env(provider))
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    text = [
        f"{row['status']:<4}  {row['identity_provider']:<4}  {row['check']}: {row['message']}"
        for row in rows
        if set(row) == {"identity_provider", "check", "status", "message"}
    ]
    assert text == healthy_lines(config, provider)


def test_the_well_known_url_drops_the_issuers_trailing_slash() -> None:
    # OpenID Connect Discovery §4: JumpCloud's issuer has a slash, its document is at /.well-known/….
    assert discovery_url("https://oauth.id.jumpcloud.com/") == (
        "https://oauth.id.jumpcloud.com/.well-known/openid-configuration"
    )
    assert discovery_url("https://acme.okta.com/oauth2/aus1") == (
        "https://acme.okta.com/oauth2/aus1/.well-known/openid-configuration"
    )


def test_only_rs256_and_es256_signing_keys_count() -> None:
    keys = [
        {"kty": "RSA", "use": "sig"},  # Entra: no alg, RS256 by default
        {"kty": "RSA", "alg": "RS384"},
        {"kty": "RSA", "alg": "RS256", "use": "enc"},
        {"kty": "EC", "crv": "P-256", "alg": "ES256"},
        {"kty": "EC", "crv": "P-384"},
        {"kty": "oct", "alg": "HS256"},
    ]
    assert signing_keys({"keys": keys}) == ["RS256", "ES256"]


GOOD_DOCUMENT = {
    "issuer": "https://idp.example",
    "jwks_uri": "https://idp.example/keys",
    "response_types_supported": ["code"],
    "code_challenge_methods_supported": ["S256"],
    "token_endpoint_auth_methods_supported": ["none"],
}
GOOD_KEYS = {"keys": [{"kty": "RSA", "alg": "RS256"}]}


def check_document(
    document: dict[str, object], jwks: dict[str, object] = GOOD_KEYS, scopes: tuple[str, ...] = ("openid",)
) -> list[str]:
    """The lines of the discovery checks of a JumpCloud-style public client on `document`."""
    out = io.StringIO()
    report = Report(out, json_output=False, name_width=2)
    issuer = Issuer(
        url="https://idp.example",
        setting="identity_providers.jc.issuer_url",
        from_outputs=False,
        scopes=scopes,
        user_claim="email",
        groups_claim=None,
        public_client=True,
    )
    documents = IssuerDocuments(
        discovery_url=discovery_url(issuer.url), document=document, error=None, jwks=jwks, jwks_error=None
    )
    DiscoveryChecks(report, "jc", IdentityProviderType.JUMPCLOUD, issuer, label=False).run(documents)
    return out.getvalue().splitlines()


JUMPCLOUD_APP = (
    "JumpCloud admin portal: SSO Applications > the Custom OIDC app > SSO: Client Authentication Type "
    "'Public (None PKCE)', grant type Authorization Code"
)


def test_a_jwks_without_a_usable_key_fails() -> None:
    assert (
        "FAIL  jc  jwks: https://idp.example/keys serves no RS256 or ES256 signing key: Kubernetes cannot verify the "
        "ID tokens; set the IdP's ID token signing algorithm to RS256 (IdP console)"
    ) in check_document(GOOD_DOCUMENT, {"keys": [{"kty": "RSA", "alg": "PS256"}]})


def test_a_document_without_the_code_flow_fails() -> None:
    assert (
        "FAIL  jc  response types: response_types_supported is ['id_token'], without code: kubelogin signs in with "
        f"the authorization code flow; enable it for the app ({JUMPCLOUD_APP})"
    ) in check_document({**GOOD_DOCUMENT, "response_types_supported": ["id_token"]})


def test_public_clients_need_the_none_auth_method() -> None:
    assert (
        "FAIL  jc  client authentication: token_endpoint_auth_methods_supported is ['client_secret_basic'], without "
        f"none: kubelogin's client is public and has no secret; allow public clients ({JUMPCLOUD_APP})"
    ) in check_document({**GOOD_DOCUMENT, "token_endpoint_auth_methods_supported": ["client_secret_basic"]})
    unlisted = dict(GOOD_DOCUMENT)
    del unlisted["token_endpoint_auth_methods_supported"]
    assert (
        "note  jc  client authentication: token_endpoint_auth_methods_supported is not advertised (the default is "
        "client_secret_basic); the public client needs `none`: run doctor --login to prove it works"
    ) in check_document(unlisted)


def test_a_good_document_passes() -> None:
    assert [line.split()[0] for line in check_document(GOOD_DOCUMENT)] == ["ok"] * 6


def test_googles_scope_urls_count_as_their_short_names() -> None:
    # Google's document lists `email` and `profile`; its Desktop-app clients are given the scope URLs.
    google = ("openid", GOOGLE_USERINFO_PROFILE_SCOPE, GOOGLE_USERINFO_EMAIL_SCOPE)
    output = check_document({**GOOD_DOCUMENT, "scopes_supported": ["openid", "email", "profile"]}, scopes=google)
    assert f"ok    jc  scopes: {', '.join(google)} are in scopes_supported" in output
    output = check_document({**GOOD_DOCUMENT, "scopes_supported": ["openid", "email"]}, scopes=google)
    assert any(line.startswith(f"warn  jc  scopes: {GOOGLE_USERINFO_PROFILE_SCOPE} not in") for line in output)


def test_each_issuer_of_an_idp_is_checked_and_named(
    tmp_path: Path, provider: Provider, start_provider: Callable[[str], Provider]
) -> None:
    # Okta-style: each cluster's stack has its own authorization server, so the deployed outputs name
    # two issuers for one IdP; the lines of each name their issuer.
    other = start_provider("no-s256")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "prod-corp": {"oidc_config": oidc_config_output(provider)},
                "data-corp": {"oidc_config": oidc_config_output(other, issuer_url=other.issuer)},
            }
        ),
        encoding="utf-8",
    )
    config = write_config(tmp_path, provider)
    result = run_doctor(config, "--identity-provider", "corp", "--outputs", str(outputs), env=doctor_env(provider))
    assert result.returncode == 1
    pkce = [line for line in lines(result.stdout) if check_of(line) == "PKCE methods"]
    assert pkce == [
        f"ok    corp  PKCE methods: {provider.issuer}: S256 is supported",
        f"FAIL  corp  PKCE methods: {other.issuer}: code_challenge_methods_supported is ['plain'], without S256: "
        "kubelogin's S256 challenge would be refused or ignored; enable PKCE with S256 (JumpCloud admin portal: SSO "
        "Applications > the Custom OIDC app > SSO: Client Authentication Type 'Public (None PKCE)', grant type "
        "Authorization Code)",
    ]


def test_a_jwks_past_the_json_bounds_fails_with_a_sentence(idp: HostileServer) -> None:
    jwks_uri = f"{idp.url}/keys"
    idp.routes["/.well-known/openid-configuration"] = json_answer({"issuer": idp.url, "jwks_uri": jwks_uri})
    idp.routes["/keys"] = json_answer(b'{"keys": [{"kty": "RSA", "e": ' + b"3" * 5_000 + b"}]}")
    with IdpHttps() as https:
        documents = fetch_documents(https, idp.url)
    assert documents.document == {"issuer": idp.url, "jwks_uri": jwks_uri}
    assert documents.jwks is None
    assert documents.jwks_error == (
        f"{jwks_uri} answered a number with 5000 digits: at most 64 digits are read (e.g. 8000 or 1.5)"
    )


def test_a_hostile_discovery_document_reaches_the_terminal_escaped(idp: HostileServer) -> None:
    """A value of the IdP's own (here a scope of `scopes_supported`, which a warning lists) is shown with its
    control and bidi characters escaped: it can't clear the screen, fake a line or reorder what is shown."""
    hostile_scope = "openid\x1b[2J\r\nok    jc  scopes: fine\u202e"
    idp.routes["/.well-known/openid-configuration"] = json_answer(
        {**GOOD_DOCUMENT, "issuer": idp.url, "jwks_uri": f"{idp.url}/keys", "scopes_supported": [hostile_scope]}
    )
    idp.routes["/keys"] = json_answer(GOOD_KEYS)
    issuer = Issuer(
        url=idp.url,
        setting="identity_providers.jc.issuer_url",
        from_outputs=False,
        scopes=("openid", "email"),
        user_claim="email",
        groups_claim=None,
        public_client=True,
    )
    with IdpHttps() as https:
        documents = fetch_documents(https, idp.url)
    out = io.StringIO()
    DiscoveryChecks(
        Report(out, json_output=False, name_width=2), "jc", IdentityProviderType.JUMPCLOUD, issuer, label=False
    ).run(documents)
    shown = out.getvalue()
    assert (
        "warn  jc  scopes: openid, email not in scopes_supported "
        "(openid\\x1b[2J\\x0d\\x0aok    jc  scopes: fine\\u202e)" in shown
    )
    assert all(line.isprintable() for line in shown.splitlines())
    as_json = io.StringIO()
    json_report = Report(as_json, json_output=True, name_width=2)
    DiscoveryChecks(json_report, "jc", IdentityProviderType.JUMPCLOUD, issuer, label=False).run(documents)
    json_report.finish()
    scopes = next(row for row in json.loads(as_json.getvalue()) if row["check"] == "scopes")
    assert hostile_scope in scopes["message"]

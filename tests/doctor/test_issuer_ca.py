"""doctor with an `oidc` IdP behind a private CA (contract 3 "IdP CA", contract 6): node-oidc-provider serves
HTTPS with a test CA that is neither in the system store nor in SSL_CERT_FILE, so only the IdP's configured CA
(`certificate_authority_file`, or the `oidc_config` output's `certificate_authority_data`) makes discovery, the
JWKS and the sign-in work — and that CA alone, as kubelogin and the cluster trust it. On an AKS cluster,
Kubernetes sees the user and groups under `aks:jwt:`."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import trustme
from doctor_support import (
    PUBLIC_CLIENT,
    Provider,
    check_of,
    doctor_env,
    lines,
    oidc_config_output,
    run_doctor,
    run_login,
)

DISCOVERY = ("discovery", "issuer", "jwks")


def write_sso_config(folder: Path, provider: Provider, *, ca_file: Path | None) -> Path:
    """An `oidc` IdP `sso` on the provider, on an AKS cluster; its issuer's CA is `ca_file` (None: none)."""
    ca = f"\n    certificate_authority_file: {ca_file}" if ca_file is not None else ""
    ports = ", ".join(map(str, provider.redirect_ports))
    text = f"""\
version: 1
defaults:
  redirect_ports: [{ports}]
identity_providers:
  sso:
    type: oidc
    prefix: "sso:"
    issuer_url: {provider.issuer}
    client_id: {PUBLIC_CLIENT}{ca}
clusters:
  apps: {{type: aks, subscription_id: 00000000-0000-0000-0000-000000000000, resource_group: rg-apps,
         cluster_name: apps-aks, identity_providers: [sso]}}
access:
  - {{identity_provider: sso, group: admins, cluster_role: cluster-admin}}
"""
    path = folder / "oidc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def discovery_lines(output: str) -> list[str]:
    return [line for line in lines(output) if check_of(line) in DISCOVERY]


def test_only_the_idps_own_ca_makes_discovery_work(tmp_path: Path, provider: Provider) -> None:
    # No SSL_CERT_FILE: the test CA is trusted nowhere but in the config.
    with_ca = run_doctor(write_sso_config(tmp_path, provider, ca_file=provider.ca_file), env=doctor_env(None))
    assert with_ca.returncode == 0, with_ca.stdout + with_ca.stderr
    assert discovery_lines(with_ca.stdout) == [
        f"ok    sso  discovery: {provider.issuer}/.well-known/openid-configuration serves a discovery document",
        f"ok    sso  issuer: {provider.issuer} equals the discovery document's issuer",
        f"ok    sso  jwks: {provider.issuer}/jwks serves 1 signing key (RS256)",
    ]
    without = run_doctor(write_sso_config(tmp_path, provider, ca_file=None), env=doctor_env(None))
    assert without.returncode == 1
    (failure,) = lines(without.stdout)
    assert failure.startswith(f"FAIL  sso  discovery: TLS failure talking to {provider.issuer}/.well-known/")


def test_the_idps_ca_is_trusted_alone_as_kubelogin_and_the_cluster_do(tmp_path: Path, provider: Provider) -> None:
    """A configured CA that didn't sign the issuer's certificate fails, though SSL_CERT_FILE holds the one
    that did: kubelogin's --certificate-authority-data and the cluster's CA bundle replace the system's."""
    wrong = tmp_path / "wrong-ca.pem"
    trustme.CA().cert_pem.write_to_path(wrong)
    result = run_doctor(write_sso_config(tmp_path, provider, ca_file=wrong), env=doctor_env(provider))
    assert result.returncode == 1
    assert lines(result.stdout) == [
        f"FAIL  sso  discovery: TLS failure talking to {provider.issuer}/.well-known/openid-configuration: unable to "
        "get local issuer certificate; doctor trusts the issuer's private CA from "
        "identity_providers.sso.certificate_authority_file (or _data) alone for it, as kubelogin and the cluster do: "
        "give the CA that signed the issuer's certificate there"
    ]


def test_the_outputs_ca_is_used_when_the_outputs_are_given(tmp_path: Path, provider: Provider) -> None:
    config = write_sso_config(tmp_path, provider, ca_file=None)
    ca_data = base64.b64encode(provider.ca_file.read_bytes()).decode()
    outputs = {"apps-sso": {"oidc_config": oidc_config_output(provider, username_prefix="sso:", groups_prefix="sso:")}}
    outputs["apps-sso"]["oidc_config"]["certificate_authority_data"] = ca_data
    (tmp_path / "outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
    result = run_doctor(config, "--outputs", str(tmp_path / "outputs.json"), env=doctor_env(None))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(discovery_lines(result.stdout)) == 3


def test_an_id_token_on_an_aks_cluster_is_seen_under_aks_jwt(tmp_path: Path, provider: Provider) -> None:
    token = tmp_path / "token.jwt"
    token.write_text(provider.token(), encoding="utf-8")
    config = write_sso_config(tmp_path, provider, ca_file=provider.ca_file)
    result = run_doctor(config, "--id-token", str(token), env=doctor_env(None))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "ok    sso  cluster apps: Kubernetes sees user aks:jwt:sso:jane@example.com, groups aks:jwt:sso:admins, "
        "aks:jwt:sso:developers; access: ClusterRole cluster-admin (as group admins)"
    ) in lines(result.stdout)


def test_a_sign_in_through_the_private_ca(tmp_path: Path, provider: Provider) -> None:
    config = write_sso_config(tmp_path, provider, ca_file=provider.ca_file)
    result, browser = run_login(config, provider=provider, env=doctor_env(None))
    assert result.returncode == 0, result.stdout + result.stderr
    output = lines(result.stdout)
    assert "ok    sso  PKCE: a wrong code_verifier was refused (invalid_grant: grant request is invalid)" in output
    assert any(line.startswith("ok    sso  sign-in: signed in with client id") for line in output)
    assert any(
        line.startswith("ok    sso  cluster apps: Kubernetes sees user aks:jwt:sso:jane@example.com") for line in output
    )
    assert [landing.status_code for landing in browser.landings] == [200, 200]

"""`type: oidc` identity providers (stacks/config/identity_providers/oidc.py, contract 3 "IdP CA"): the required
keys, the defaults of the IdP table, the issuer's CA (file or data, certificates only, a warning for anything
else), and where a private CA can't go (EKS and GKE clusters, a workforce pool) — each rule with a config that
breaks it and its exact message at its key path."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml
from config_support import CA_DATA, CA_PEM, MINIMAL, load, problems_of, with_cluster

from constructs_lib.oidc import OidcClientType
from stacks.config import OidcIdp, parse_config
from stacks.config.identity_providers.base import Client
from stacks.errors import UserError

SECRET = "wJalrXUtnFEMI-not-a-real-secret"
ISSUER = "https://sso.acme.internal/realms/eng"
SSO: dict[str, Any] = {"type": "oidc", "issuer_url": ISSUER, "client_id": "kubernetes"}
ONPREM: dict[str, Any] = {
    "type": "kubernetes",
    "endpoint": "https://k8s.acme.internal:6443",
    "certificate_authority_data": CA_DATA,
    "identity_providers": ["sso"],
}
CLIENT = Client(
    name="onprem-sso",
    prefix="sso:",
    client_type=OidcClientType.PUBLIC_NATIVE,
    redirect_uris=("http://localhost:8000", "http://localhost:18000"),
)


def with_sso(sso: dict[str, Any], cluster: dict[str, Any] | None = None) -> dict[str, Any]:
    return with_cluster("onprem", cluster or ONPREM, sso=sso)


def sso_of(document: dict[str, Any], folder: Path | None = None) -> tuple[OidcIdp, list[tuple[str, str]]]:
    text = yaml.safe_dump(document)
    config = parse_config(text, (folder or Path(".")) / "oidc.yaml")
    idp = config.identity_providers["sso"]
    assert isinstance(idp, OidcIdp)
    return idp, [(w.path, w.message) for w in config.warnings if w.path.startswith("identity_providers.sso.")]


def test_an_oidc_idp_takes_the_tables_defaults_and_no_ca() -> None:
    idp, _ = sso_of(with_sso(SSO))
    settings = idp.settings()
    assert (settings.issuer_url, settings.user_claim, settings.groups_claim, settings.scopes) == (
        ISSUER,
        "email",
        "groups",
        ("openid", "profile", "email"),
    )
    assert settings.requires_client_secret is False
    assert idp.issuer_certificate_authority is None
    assert idp.props(CLIENT).certificate_authority_data is None
    assert idp.oidc_config_before_deploy(CLIENT).as_output().keys() >= {"client_id", "issuer_url"}
    assert "certificate_authority_data" not in idp.oidc_config_before_deploy(CLIENT).as_output()


@pytest.mark.parametrize("key", ["issuer_url", "client_id"])
def test_the_issuer_and_the_client_id_are_required(key: str) -> None:
    sso = {name: value for name, value in SSO.items() if name != key}
    assert problems_of(with_sso(sso)) == {f"identity_providers.sso.{key}": "required key is missing"}


def test_the_ca_file_is_read_relative_to_the_config_file_and_reaches_the_props(tmp_path: Path) -> None:
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "sso-ca.pem").write_bytes(CA_PEM)
    idp, warnings = sso_of(with_sso({**SSO, "certificate_authority_file": "pki/sso-ca.pem"}), tmp_path)
    assert idp.issuer_certificate_authority == CA_DATA
    assert idp.props(CLIENT).certificate_authority_data == CA_DATA
    assert idp.oidc_config_before_deploy(CLIENT).as_output()["certificate_authority_data"] == CA_DATA
    assert warnings == []


def test_ca_data_reaches_the_props() -> None:
    idp, _ = sso_of(with_sso({**SSO, "certificate_authority_data": CA_DATA}))
    assert idp.props(CLIENT).certificate_authority_data == CA_DATA


def test_anything_beside_the_certificates_is_left_out_with_a_warning_naming_the_file(tmp_path: Path) -> None:
    key = b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n"
    (tmp_path / "sso-ca.pem").write_bytes(CA_PEM + key + f"AWS_SECRET_ACCESS_KEY={SECRET}\n".encode())
    idp, warnings = sso_of(with_sso({**SSO, "certificate_authority_file": "sso-ca.pem"}), tmp_path)
    # Only the certificate reaches the props (which would refuse the rest), the outputs and the render.
    assert idp.props(CLIENT).certificate_authority_data == CA_DATA
    assert warnings == [
        (
            "identity_providers.sso.certificate_authority_file",
            f"'sso-ca.pem' ({tmp_path / 'sso-ca.pem'}) holds more than certificates (PEM block 2 is a PRIVATE KEY, "
            "not a CERTIFICATE; holds 1 line of text outside its PEM blocks): only its CERTIFICATE blocks are used, "
            "each re-encoded, and nothing else of it is embedded anywhere; remove the rest (a key or secret kept "
            "beside a CA certificate is readable by everyone who can read it)",
        )
    ]
    assert SECRET not in str(warnings)


def test_data_beside_the_certificates_is_left_out_with_a_warning_naming_the_key() -> None:
    data = base64.b64encode(CA_PEM + b"subject=CN=sso\n").decode()
    idp, warnings = sso_of(with_sso({**SSO, "certificate_authority_data": data}))
    assert idp.issuer_certificate_authority == CA_DATA
    assert [path for path, _ in warnings] == ["identity_providers.sso.certificate_authority_data"]


def idp_problems(folder: Path, **keys: Any) -> dict[str, str]:
    with pytest.raises(UserError) as raised:
        parse_config(yaml.safe_dump(with_sso({**SSO, **keys})), folder / "oidc.yaml")
    return {problem.path: problem.message for problem in raised.value.problems}


def test_a_ca_that_holds_no_certificate_is_refused_at_its_key(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n")
    assert idp_problems(tmp_path, certificate_authority_file="key.pem") == {
        "identity_providers.sso.certificate_authority_file": f"'key.pem' ({tmp_path / 'key.pem'}) PEM block 1 is a "
        "PRIVATE KEY, not a CERTIFICATE; give the issuer's PEM CA certificate"
    }
    assert idp_problems(tmp_path, certificate_authority_file="gone.pem") == {
        "identity_providers.sso.certificate_authority_file": f"cannot read 'gone.pem' ({tmp_path / 'gone.pem'}): no "
        "such file (the path is relative to the config file)"
    }
    assert idp_problems(tmp_path, certificate_authority_data="not base64!") == {
        "identity_providers.sso.certificate_authority_data": "is not base64 (encode the PEM file, e.g. `base64 -w0 "
        "ca.crt`); or give the PEM file as `certificate_authority_file`"
    }


def test_a_huge_ca_file_is_refused_naming_whose_ca_it_is(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_bytes(CA_PEM * 10_000)
    assert idp_problems(tmp_path, certificate_authority_file="ca.pem") == {
        "identity_providers.sso.certificate_authority_file": f"'ca.pem' ({tmp_path / 'ca.pem'}) is larger than 48 "
        "KiB: give the issuer's CA certificate(s) only"
    }


def test_a_ca_file_and_ca_data_together_are_refused(tmp_path: Path) -> None:
    assert idp_problems(tmp_path, certificate_authority_file="ca.pem", certificate_authority_data=CA_DATA) == {
        "identity_providers.sso": "give one of `certificate_authority_data` (base64 of the issuer's PEM CA "
        "certificate) or `certificate_authority_file` (the PEM file, relative to this config file), not both; e.g. "
        "certificate_authority_file: pki/sso-ca.pem"
    }


def test_the_props_rules_apply_at_the_entrys_keys() -> None:
    problems = problems_of(with_sso({**SSO, "issuer_url": "http://sso.acme.internal", "device_code": True}))
    assert problems == {
        "identity_providers.sso.issuer_url": "'http://sso.acme.internal' must be an https:// URL with a host; copy "
        "the `issuer` of the IdP's discovery document exactly",
        "identity_providers.sso.device_code": "is not available for an `oidc` IdP: its client is made by hand, so "
        "k8s-oidc can't tell whether it allows the device authorization grant (a phishable flow it opens only where "
        "it makes the app itself); leave it false (engineers on remote shells forward kubelogin's ports over SSH)",
    }


# --- where a private CA can't go -----------------------------------------------------------------


def private(cluster: str, **changes: Any) -> dict[str, Any]:
    """MINIMAL with `sso` (a private CA) on the cluster `cluster` (changed by `changes`)."""
    return with_cluster(
        cluster,
        {**MINIMAL["clusters"][cluster], "identity_providers": ["sso"], **changes},
        sso={**SSO, "certificate_authority_data": CA_DATA},
    )


def test_a_private_ca_on_an_eks_cluster_is_refused_by_the_eks_props() -> None:
    assert problems_of(private("prod")) == {
        "clusters.prod.identity_providers[0]": "EKS trusts only issuers whose TLS certificate is publicly trusted: "
        "issuer_url 'https://sso.acme.internal/realms/eng' comes with a private CA (certificate_authority_data), "
        "which EKS has no setting for; serve the issuer with a certificate from a public CA, or use the IdP on a "
        "self-managed or AKS cluster"
    }


GKE_REFUSAL = (
    "sso's issuer comes with a private CA (identity_providers.sso.certificate_authority_file or _data), and GKE "
    "trusts only issuers whose TLS certificate is publicly trusted, as k8s-oidc sets it up (Identity Service and "
    "workforce pools alike, with no setting for another CA); serve the issuer with a certificate from a public CA, or "
    "use sso on a self-managed or AKS cluster"
)


def test_a_private_ca_on_a_gke_cluster_is_refused() -> None:
    assert problems_of(private("data")) == {"clusters.data.identity_providers[0]": GKE_REFUSAL}


def test_an_oidc_idp_cant_federate_through_a_workforce_pool() -> None:
    document = private("data", auth="workforce_identity")
    document["google_workforce_pool"] = {"organization_id": "123456789012", "pool_id": "k8s-engineers"}
    del document["identity_providers"]["sso"]["certificate_authority_data"]
    assert problems_of(document) == {
        "clusters.data.identity_providers[0]": "sso is an `oidc` IdP, whose only client is kubelogin's public one "
        "made by hand; a workforce pool signs in with a confidential web client, which k8s-oidc knows how to use for "
        "okta, entra_id and jumpcloud only; use the IdP on a cluster that trusts it itself (`auth: "
        "identity_service`, EKS, AKS or self-managed)"
    }


def test_the_same_idp_without_its_ca_is_fine_on_eks_and_gke() -> None:
    for cluster in ("prod", "data"):
        document = private(cluster)
        del document["identity_providers"]["sso"]["certificate_authority_data"]
        assert load(document)

"""AksJwtAuthenticatorProps and `jwt_authenticator_name` (constructs_lib/cluster/aks_jwt_authenticator_props.py):
AKS's rules for the authenticator's name, issuer and CA bundle, and the subject rules for a hand-built
`OidcConfig`; each refusal with the value and the fix, every one at once."""

from __future__ import annotations

import base64
import dataclasses
import datetime
from typing import Any

import pytest
from aks_support import CA_PEM, OIDC
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from constructs_lib.cluster.aks_jwt_authenticator_props import (
    MAX_CA_BUNDLE_BYTES,
    MAX_CA_CERTIFICATES,
    AksJwtAuthenticatorProps,
    certificate_authority_bundle,
    jwt_authenticator_name,
)
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.oidc import OidcConfig
from constructs_lib.props_error import PropsError

CLUSTER_ID = "/subscriptions/0/resourceGroups/rg-apps/providers/Microsoft.ContainerService/managedClusters/apps-aks"


@dataclasses.dataclass(frozen=True)
class NamedAksCluster:
    """An AKS cluster a library user knows by its attributes."""

    cluster_type: ClusterType = ClusterType.AKS
    cluster_name: str = "apps-aks"
    region_or_location: str = "westeurope"
    endpoint: str = "https://apps-aks-dns.hcp.westeurope.azmk8s.io:443"
    certificate_authority_data: str = "LS0t"
    resource_id: str = CLUSTER_ID


def props(oidc: OidcConfig = OIDC, **overrides: Any) -> AksJwtAuthenticatorProps:
    return AksJwtAuthenticatorProps(**{"cluster": NamedAksCluster(), "oidc_config": oidc, "name": "sso", **overrides})


def with_oidc(**changes: Any) -> AksJwtAuthenticatorProps:
    return props(dataclasses.replace(OIDC, **changes))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def certificate(alt_names: int = 0) -> bytes:
    """A self-signed CA certificate (PEM); `alt_names` long DNS names make it bigger."""
    now = datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "k8s-oidc test issuer CA")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if alt_names:
        dns = [x509.DNSName(f"host-{index:03d}-{'x' * 40}.sso.acme.internal") for index in range(alt_names)]
        builder = builder.add_extension(x509.SubjectAlternativeName(dns), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize(
    ("idp_name", "authenticator"),
    [
        ("okta-main", "oktamain"),
        ("sso", "sso"),
        ("a-b-c-d", "abcd"),
        ("j1", "j1"),
        ("abcdefghij-klmnopqrst-uvwxyz1234", "abcdefghijklmnopqrstuvwx"),
    ],
)
def test_the_authenticator_name_is_the_idp_name_without_dashes_cut_to_24(idp_name: str, authenticator: str) -> None:
    assert jwt_authenticator_name(idp_name) == authenticator
    assert props(name=authenticator).name == authenticator


def test_two_idp_names_can_give_one_authenticator_name() -> None:
    """Which is why the config refuses such a pair on one cluster."""
    assert jwt_authenticator_name("okta-main") == jwt_authenticator_name("oktamain")
    assert jwt_authenticator_name("a" * 24 + "-1") == jwt_authenticator_name("a" * 24 + "-2")


NOT_A_NAME = (
    "is not a JWT authenticator name: a lowercase letter, then up to 23 lowercase letters and digits (AKS's rule); "
    "jwt_authenticator_name('okta-main') gives 'oktamain'"
)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "okta-main"}, f"name 'okta-main' {NOT_A_NAME}"),
        ({"name": "Okta"}, f"name 'Okta' {NOT_A_NAME}"),
        ({"name": "1okta"}, f"name '1okta' {NOT_A_NAME}"),
        ({"name": ""}, f"name '' {NOT_A_NAME}"),
        ({"name": "a" * 25}, f"name {'a' * 25!r} {NOT_A_NAME}"),
        (
            {"cluster": NamedAksCluster(cluster_type=ClusterType.EKS)},
            "cluster must be an AKS cluster, got a eks cluster; EKS clusters trust issuers through "
            "EksOidcIdentityProvider, self-managed ones through their kube-apiserver's AuthenticationConfiguration",
        ),
    ],
)
def test_props_refuse_a_bad_name_or_cluster(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(PropsError) as error:
        props(**overrides)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"issuer_url": "http://sso.acme.internal"},
            "AKS requires an https:// issuer: issuer_url 'http://sso.acme.internal' must be an https:// URL with a "
            "host; use the `issuer` of the IdP's discovery document",
        ),
        (
            {"issuer_url": "https://sso.acme.internal/realms/eng?x=1"},
            "AKS requires an https:// issuer: issuer_url 'https://sso.acme.internal/realms/eng?x=1' must hold no "
            "query ('?…') or fragment ('#…'); use the `issuer` of the IdP's discovery document",
        ),
        (
            {"issuer_url": "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"},
            "issuer_url 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0' is Entra ID's, "
            "which can't be an AKS JWT authenticator's issuer: AKS signs Entra ID users in through its managed Entra "
            "ID integration (`az aks get-credentials` and Azure's kubelogin), not through an authenticator",
        ),
        ({"client_id": ""}, "client_id must be non-empty without whitespace, got ''; e.g. '0oa1b2c3d4'"),
        ({"user_claim": "e mail"}, "user_claim must be non-empty without whitespace, got 'e mail'; e.g. 'email'"),
        ({"groups_claim": ""}, "groups_claim must be non-empty without whitespace, got ''; e.g. 'groups'"),
        (
            {"groups_claim": "groups\ud800"},
            "groups_claim 'groups\\ud800': U+D800 is an unpaired surrogate, which no CEL string can hold",
        ),
        (
            {"username_prefix": "system:"},
            "username_prefix 'system:' must not start with 'system:' (reserved for Kubernetes' own users and groups: "
            "an IdP group 'masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        (
            {"groups_prefix": "sys"},
            "groups_prefix 'sys' must not be the start of 'system:' (reserved for Kubernetes' own users and groups: an "
            "IdP group 'tem:masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        (
            {"username_prefix": ""},
            "username_prefix must be non-empty without whitespace, got ''; e.g. 'okta:'",
        ),
        (
            {"groups_prefix": "my sso:"},
            "groups_prefix must be non-empty without whitespace, got 'my sso:'; e.g. 'okta:'",
        ),
    ],
)
def test_props_refuse_what_aks_or_the_subject_rules_refuse(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PropsError) as error:
        with_oidc(**changes)
    assert str(error.value) == message


def test_without_a_groups_claim_the_groups_prefix_is_not_used() -> None:
    assert with_oidc(groups_claim=None, groups_prefix="")


def test_tokens_are_left_to_terraform() -> None:
    token = "${TfToken[TOKEN.4]}"
    assert props(name=token)
    assert with_oidc(issuer_url=token, username_prefix=token, groups_prefix=token, certificate_authority_data=token)


def test_a_ca_bundle_of_certificates_is_accepted_as_pem() -> None:
    accepted = with_oidc(certificate_authority_data=b64(CA_PEM * MAX_CA_CERTIFICATES))
    data = accepted.oidc_config.certificate_authority_data
    assert data is not None
    assert certificate_authority_bundle(data) == (CA_PEM * MAX_CA_CERTIFICATES).decode()


@pytest.mark.parametrize(
    ("pem", "problem"),
    [
        (
            CA_PEM * (MAX_CA_CERTIFICATES + 1),
            "holds 11 certificates; AKS takes at most 10",
        ),
        (
            CA_PEM + b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n",
            "PEM block 2 is a PRIVATE KEY, not a CERTIFICATE",
        ),
    ],
    ids=["eleven", "with-a-key"],
)
def test_a_ca_bundle_aks_would_refuse_is_refused(pem: bytes, problem: str) -> None:
    with pytest.raises(PropsError) as error:
        with_oidc(certificate_authority_data=b64(pem))
    assert str(error.value) == (
        f"certificate_authority_data of issuer 'https://sso.acme.internal/realms/eng' {problem}"
    )


def test_a_ca_bundle_over_20_kb_is_refused() -> None:
    big = certificate(alt_names=80)
    fits = MAX_CA_BUNDLE_BYTES // len(big)
    assert fits + 1 <= MAX_CA_CERTIFICATES  # too big, not too many
    assert with_oidc(certificate_authority_data=b64(big * fits))
    bundle = big * (fits + 1)
    with pytest.raises(PropsError) as error:
        with_oidc(certificate_authority_data=b64(bundle))
    assert str(error.value) == (
        "certificate_authority_data of issuer 'https://sso.acme.internal/realms/eng' is "
        f"{len(bundle):,} bytes of PEM; AKS takes at most 20,000: give only the CA certificates that the issuer's TLS "
        "certificate chains to"
    )


def test_ca_data_that_is_not_base64_is_refused() -> None:
    with pytest.raises(PropsError) as error:
        with_oidc(certificate_authority_data="not base64!")
    assert str(error.value) == (
        "certificate_authority_data is not base64 (encode the PEM file, e.g. `base64 -w0 ca.crt`)"
    )


def test_every_refused_value_is_named_at_once() -> None:
    oidc = dataclasses.replace(OIDC, issuer_url="http://x", username_prefix="", groups_prefix="sys")
    with pytest.raises(PropsError) as raised:
        props(oidc, name="Bad-Name", cluster=NamedAksCluster(cluster_type=ClusterType.GKE))
    assert [str(problem).split(" ", 1)[0] for problem in raised.value.problems] == [
        "cluster",
        "name",
        "AKS",
        "username_prefix",
        "groups_prefix",
    ]

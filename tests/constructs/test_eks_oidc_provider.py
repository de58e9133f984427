"""EksOidcIdentityProvider: the `aws_eks_identity_provider_config` it synthesises for existing and
created clusters, exact props errors, and one snapshot of an existing-EKS pair stack."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path
from typing import Any

import cdktf
import pytest
from cluster_synth import Stack, name_of, only, ref, synth_stacks
from synth_support import new_stack, synth_json
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension
from terraform_hostile import ESCAPED, HOSTILE, evaluated

from constructs_lib.cluster.eks_cluster import EksCluster
from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider
from constructs_lib.cluster.eks_oidc_provider_props import EksOidcIdentityProviderProps
from constructs_lib.cluster.gke_cluster import GkeCluster
from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.cluster.self_managed import SelfManagedCluster
from constructs_lib.oidc import OidcConfig
from constructs_lib.props_error import PropsError

CA_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "pki" / "onprem-ca.crt"
CA_DATA = base64.b64encode(CA_FILE.read_bytes()).decode()
OIDC = OidcConfig(
    client_id="0oa1b2c3",
    issuer_url="https://acme.okta.com/oauth2/aus1a2b3",
    user_claim="email",
    groups_claim="groups",
    username_prefix="okta:",
    groups_prefix="okta-groups:",
    scopes=("openid", "email", "groups"),
    redirect_uris=("http://localhost:8000",),
    requires_client_secret=False,
)

PAIR_CONFIG = """
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, prefix: "jc:"}
clusters:
  prod:
    type: eks
    region: us-west-2
    cluster_name: ProdCluster
    identity_providers: [jc]
  demo:
    type: eks
    region: eu-west-1
    create:
      kubernetes_version: "1.33"
      availability_zones: [eu-west-1a, eu-west-1b]
      public_access_cidrs: [203.0.113.0/24]
    identity_providers: [jc]
"""


def synth_provider(oidc: OidcConfig = OIDC, **props: Any) -> Stack:
    stack = new_stack()
    cluster = EksCluster.from_cluster_name(stack, "kubernetes_cluster", cluster_name="ProdCluster", region="us-west-2")
    EksOidcIdentityProvider(
        stack,
        "oidc",
        props=EksOidcIdentityProviderProps(cluster=cluster, oidc_config=oidc, config_name="okta-main", **props),
    )
    return synth_json(stack)


def test_the_cluster_trusts_the_issuer_with_both_prefixes() -> None:
    stack = synth_provider()
    config = only(stack, "aws_eks_identity_provider_config")
    assert config == {
        "cluster_name": ref(stack, "aws_eks_cluster", "name", kind="data"),
        "oidc": {
            "identity_provider_config_name": "okta-main",
            "client_id": "0oa1b2c3",
            "issuer_url": "https://acme.okta.com/oauth2/aus1a2b3",
            "username_claim": "email",
            "username_prefix": "okta:",
            "groups_claim": "groups",
            "groups_prefix": "okta-groups:",
        },
    }


def test_required_claims_are_passed_through() -> None:
    stack = synth_provider(required_claims={"hd": "example.com", "aud": "0oa1b2c3"})
    oidc = only(stack, "aws_eks_identity_provider_config")["oidc"]
    assert oidc["required_claims"] == {"hd": "example.com", "aud": "0oa1b2c3"}


def test_no_groups_claim_means_no_groups_prefix() -> None:
    google = dataclasses.replace(
        OIDC, issuer_url="https://accounts.google.com", groups_claim=None, username_prefix="gws:", groups_prefix="gws:"
    )
    oidc = only(synth_provider(google), "aws_eks_identity_provider_config")["oidc"]
    assert "groups_claim" not in oidc
    assert "groups_prefix" not in oidc
    assert oidc["username_prefix"] == "gws:"


def test_a_created_cluster_is_referenced_across_stacks(tmp_path: Path) -> None:
    stacks = synth_stacks(PAIR_CONFIG, tmp_path)
    pair = stacks["demo-jc"]
    assert "aws_eks_cluster" not in pair.get("data", {})
    remote = name_of(pair, "terraform_remote_state", kind="data")
    assert only(pair, "terraform_remote_state", kind="data")["config"] == {
        "path": "../../../terraform.demo-cluster.tfstate"
    }
    cluster_name = only(pair, "aws_eks_identity_provider_config")["cluster_name"]
    output = cluster_name.removeprefix(f"${{data.terraform_remote_state.{remote}.outputs.").removesuffix("}")
    # The cluster stack exports exactly what the pair reads: the created cluster's name.
    cluster = name_of(stacks["demo-cluster"], "aws_eks_cluster")
    assert stacks["demo-cluster"]["output"][output]["value"] == f"${{aws_eks_cluster.{cluster}.name}}"
    assert pair["output"]["cluster"]["value"]["region_or_location"] == "eu-west-1"
    assert pair["output"]["cluster"]["value"]["endpoint"].startswith(f"${{data.terraform_remote_state.{remote}.")


def test_snapshot_of_an_existing_eks_pair_stack(tmp_path: Path, snapshot: SnapshotAssertion) -> None:
    stacks = synth_stacks(PAIR_CONFIG, tmp_path)
    pair = stacks["prod-jc"]
    assert only(pair, "aws_eks_cluster", kind="data") == {"name": "ProdCluster"}
    assert only(pair, "aws_eks_identity_provider_config")["oidc"]["issuer_url"] == "https://oauth.id.jumpcloud.com/"
    assert pair == snapshot(extension_class=JSONSnapshotExtension)


def test_a_gke_cluster_is_refused() -> None:
    stack = new_stack()
    gke = GkeCluster.from_cluster_name(stack, "gke", cluster_name="data", project="acme-data", location="us-west1")
    with pytest.raises(ValueError) as error:
        EksOidcIdentityProviderProps(cluster=gke, oidc_config=OIDC, config_name="okta")
    assert str(error.value) == (
        "cluster must be an EKS cluster, got a gke cluster; "
        "GKE clusters trust issuers through Identity Service (the render step's admin script), "
        "self-managed ones through their kube-apiserver's AuthenticationConfiguration"
    )


def test_a_self_managed_cluster_is_refused() -> None:
    cluster = SelfManagedCluster(
        cluster_name="onprem", endpoint="https://k8s.acme.internal:6443", certificate_authority_data=CA_DATA
    )
    with pytest.raises(ValueError, match=r"^cluster must be an EKS cluster, got a kubernetes cluster; "):
        EksOidcIdentityProviderProps(cluster=cluster, oidc_config=OIDC, config_name="okta")


@pytest.mark.parametrize(
    ("changes", "oidc_changes", "message"),
    [
        (
            {"config_name": "okta main"},
            {},
            "config_name 'okta main' must start with a letter or digit and hold only letters, digits, '.', '_' "
            "and '-' (at most 100 characters); e.g. 'okta-main'",
        ),
        (
            {},
            {"issuer_url": "http://acme.okta.com"},
            "EKS requires a public https:// issuer: issuer_url 'http://acme.okta.com' must be an https:// URL with "
            "a host; use the `issuer` of the IdP's discovery document",
        ),
        (
            {},
            {"certificate_authority_data": CA_DATA},
            "EKS trusts only issuers whose TLS certificate is publicly trusted: issuer_url "
            "'https://acme.okta.com/oauth2/aus1a2b3' comes with a private CA (certificate_authority_data), which "
            "EKS has no setting for; serve the issuer with a certificate from a public CA, or use the IdP on a "
            "self-managed or AKS cluster",
        ),
        (
            {},
            {"username_prefix": ""},
            "username_prefix '' must not be empty: subjects from the IdP would be indistinguishable from other "
            "users and groups, and an IdP group named 'system:masters' would be Kubernetes' own admin group; use "
            "the IdP's name, e.g. 'okta:'",
        ),
        (
            {},
            {"groups_prefix": "system:masters-"},
            "groups_prefix 'system:masters-' must not start with 'system:' (reserved for Kubernetes' own users and "
            "groups: an IdP group 'masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        (
            {},
            {"groups_prefix": "sy"},
            "groups_prefix 'sy' must not be the start of 'system:' (reserved for Kubernetes' own users and groups: "
            "an IdP group 'stem:masters' would become 'system:masters'); use the IdP's name, e.g. 'okta:'",
        ),
        (
            {"required_claims": {f"c{i}": "v" for i in range(11)}},
            {},
            "required_claims holds 11 claims; EKS accepts at most 10",
        ),
        (
            {"required_claims": {"hd": ""}},
            {},
            "required_claims entry 'hd': '' needs a non-empty claim name and value, e.g. {'hd': 'example.com'}",
        ),
    ],
)
def test_props_are_validated_with_a_fix_in_the_message(
    changes: dict[str, Any], oidc_changes: dict[str, Any], message: str
) -> None:
    cluster = EksCluster.from_cluster_name(new_stack(), "c", cluster_name="ProdCluster", region="us-west-2")
    props: dict[str, Any] = {"config_name": "okta", **changes}
    with pytest.raises(ValueError) as error:
        EksOidcIdentityProviderProps(cluster=cluster, oidc_config=dataclasses.replace(OIDC, **oidc_changes), **props)
    assert str(error.value) == message


def test_an_empty_groups_prefix_is_fine_without_a_groups_claim() -> None:
    google = dataclasses.replace(OIDC, groups_claim=None, groups_prefix="")
    assert "groups_prefix" not in only(synth_provider(google), "aws_eks_identity_provider_config")["oidc"]


def test_an_issuer_token_is_left_to_terraform() -> None:
    stack = new_stack()
    issuer = cdktf.TerraformVariable(stack, "issuer", type="string").string_value
    cluster = EksCluster.from_cluster_name(stack, "c", cluster_name="ProdCluster", region="us-west-2")
    props = EksOidcIdentityProviderProps(
        cluster=cluster, oidc_config=dataclasses.replace(OIDC, issuer_url=issuer), config_name="okta"
    )
    EksOidcIdentityProvider(stack, "oidc", props=props)
    assert only(synth_json(stack), "aws_eks_identity_provider_config")["oidc"]["issuer_url"] == "${var.issuer}"


@dataclasses.dataclass(frozen=True)
class _NamedEksCluster:
    """An EKS cluster a library user knows by a literal name (the EKS constructs give a token)."""

    cluster_name: str
    cluster_type: ClusterType = ClusterType.EKS
    region_or_location: str = "us-west-2"
    endpoint: str = "https://eks.example.com"
    certificate_authority_data: str = CA_DATA


def test_every_literal_string_reaches_terraform_as_itself_and_tokens_stay_tokens() -> None:
    """Library use (the config refuses such values): `${…}`/`%{…}` in a value is text, never an expression."""
    stack = new_stack()
    client_id = cdktf.TerraformVariable(stack, "client_id", type="string").string_value
    oidc = OidcConfig(
        client_id=f"{HOSTILE}{client_id}",
        # A URL takes `${` (no %-escape rule applies to it) but not `%{`.
        issuer_url='https://idp.example.com/${file("/etc/passwd")}',
        user_claim=HOSTILE,
        groups_claim=HOSTILE,
        username_prefix=HOSTILE,
        groups_prefix=HOSTILE,
        scopes=("openid",),
        redirect_uris=("http://localhost:8000",),
        requires_client_secret=False,
    )
    props = EksOidcIdentityProviderProps(
        cluster=_NamedEksCluster(cluster_name=HOSTILE),
        oidc_config=oidc,
        config_name="okta",
        required_claims={HOSTILE: HOSTILE},
    )
    EksOidcIdentityProvider(stack, "oidc", props=props)
    document = synth_json(stack)
    assert evaluated(document) == []
    assert only(document, "aws_eks_identity_provider_config") == {
        "cluster_name": ESCAPED,
        "oidc": {
            "identity_provider_config_name": "okta",
            "client_id": f"{ESCAPED}${{var.client_id}}",
            "issuer_url": 'https://idp.example.com/$${file("/etc/passwd")}',
            "username_claim": ESCAPED,
            "username_prefix": ESCAPED,
            "groups_claim": ESCAPED,
            "groups_prefix": ESCAPED,
            "required_claims": {ESCAPED: ESCAPED},
        },
    }
    assert props.oidc_config.user_claim == HOSTILE


def test_every_refused_value_is_named_at_once() -> None:
    cluster = EksCluster.from_cluster_name(new_stack(), "c", cluster_name="ProdCluster", region="us-west-2")
    oidc = dataclasses.replace(OIDC, issuer_url="https://idp@127.0.0.1", username_prefix="", groups_prefix="sys")
    with pytest.raises(PropsError) as raised:
        EksOidcIdentityProviderProps(cluster=cluster, oidc_config=oidc, config_name="okta main")
    assert [str(problem).split(" ", 1)[0] for problem in raised.value.problems] == [
        "config_name",
        "EKS",
        "username_prefix",
        "groups_prefix",
    ]

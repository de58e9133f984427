"""`type: aks` clusters (stacks/config/clusters/aks.py, contract 3 "AKS"): the keys, the chain of pair stacks,
and every rule with a config that breaks it and its exact message at its key path — the cluster's values
(its props), 1 to 64 IdPs, authenticator names that collide, `entra_id` refused, and the authenticator's props
built before deploy (a private CA AKS can't take)."""

from __future__ import annotations

import base64
from typing import Any

import trustme
from config_support import CA_PEM, MINIMAL, load, problems_of, with_cluster

from stacks.config import AksClusterConfig, ClusterKind
from stacks.plan_table import stack_table

APPS: dict[str, Any] = {
    "type": "aks",
    "subscription_id": "00000000-0000-0000-0000-000000000000",
    "resource_group": "rg-apps",
    "cluster_name": "apps-aks",
    "identity_providers": ["okta-main", "jc"],
}


def aks(**changes: Any) -> dict[str, Any]:
    return {**APPS, **changes}


def sso(ca: bytes | None = None) -> dict[str, Any]:
    """An `oidc` IdP, with `ca` (PEM) as its issuer's CA."""
    idp = {"type": "oidc", "issuer_url": "https://sso.acme.internal/realms/eng", "client_id": "kubernetes"}
    if ca is not None:
        idp["certificate_authority_data"] = base64.b64encode(ca).decode()
    return idp


def test_an_aks_cluster_has_its_kind_and_chains_its_pair_stacks() -> None:
    config = load(with_cluster("apps", aks(identity_providers=["okta-main", "jc", "gws"])))
    cluster = config.clusters["apps"]
    assert isinstance(cluster, AksClusterConfig)
    assert (cluster.kind, cluster.created) == (ClusterKind.AKS, False)
    # Each authenticator updates the managed cluster, which refuses an update while another runs.
    assert [(spec.name, spec.depends_on) for spec in config.stacks() if spec.cluster == "apps"] == [
        ("apps-okta-main", ()),
        ("apps-jc", ("apps-okta-main",)),
        ("apps-gws", ("apps-jc",)),
    ]
    assert "apps-jc         pair     aks " in stack_table(config)


def test_the_clusters_values_are_checked_by_its_props_every_one_at_once() -> None:
    problems = problems_of(
        with_cluster("apps", aks(subscription_id="acme-prod", resource_group="rg.", cluster_name="-apps"))
    )
    assert problems == {
        "clusters.apps.subscription_id": "'acme-prod' is not an Azure subscription id: a UUID such as "
        "'00000000-0000-0000-0000-000000000000' (`az account show --query id -o tsv` prints yours)",
        "clusters.apps.resource_group": "'rg.' is not an Azure resource group name: 1 to 90 letters, "
        "digits, '_', '-', '.', '(' and ')', not ending in '.'; e.g. 'rg-apps'",
        "clusters.apps.cluster_name": "'-apps' is not an AKS cluster name: 1 to 63 letters, digits, '-' "
        "and '_', starting and ending with a letter or digit; e.g. 'apps-aks'",
    }


def test_every_key_is_required_and_others_are_refused() -> None:
    cluster = {key: value for key, value in APPS.items() if key != "resource_group"}
    problems = problems_of(with_cluster("apps", {**cluster, "region": "westeurope"}))
    assert problems["clusters.apps.resource_group"] == "required key is missing"
    assert problems["clusters.apps.region"].startswith("unknown key for this entry")


def test_64_idps_are_the_most_an_aks_cluster_takes() -> None:
    idps = {
        f"jc{index}": {"type": "jumpcloud", "client_id": f"id{index}", "issuer_url": f"https://jc{index}.example.com/"}
        for index in range(65)
    }
    assert load(with_cluster("apps", aks(identity_providers=list(idps)[:64]), **idps))
    problems = problems_of(with_cluster("apps", aks(identity_providers=list(idps)), **idps))
    assert problems == {
        "clusters.apps.identity_providers": "an AKS cluster takes at most 64 JWT authenticators, one per identity "
        "provider, got 65"
    }


def test_two_idps_whose_authenticator_names_collide_are_refused() -> None:
    idps = {
        "okta-main": {"type": "okta"},
        "oktamain": {"type": "okta", "app_label": "second"},
        "a-very-long-identity-provider1": {"type": "jumpcloud", "client_id": "a", "issuer_url": "https://a.example/"},
        "a-very-long-identity-provider2": {"type": "jumpcloud", "client_id": "b", "issuer_url": "https://b.example/"},
    }
    problems = problems_of(with_cluster("apps", aks(identity_providers=list(idps)), **idps))
    assert problems == {
        "clusters.apps.identity_providers": "okta-main and oktamain give the same JWT authenticator name 'oktamain'; "
        "a-very-long-identity-provider1 and a-very-long-identity-provider2 give the same JWT authenticator name "
        "'averylongidentityprovide' (an IdP's name without '-', cut to 24 characters: AKS names authenticators "
        "with lowercase letters and digits only), and a cluster holds one authenticator per name; rename one of "
        "them under `identity_providers`"
    }
    # The same IdPs on different clusters are fine: each cluster has its own authenticators.
    document = with_cluster("apps", aks(identity_providers=["okta-main"]), **idps)
    document["clusters"]["apps2"] = aks(identity_providers=["oktamain"])
    assert load(document)


def test_entra_id_is_refused_naming_the_path_aks_offers_instead() -> None:
    problems = problems_of(with_cluster("apps", aks(identity_providers=["jc", "entra"])))
    assert problems == {
        "clusters.apps.identity_providers[1]": "entra is Entra ID, which can't be an AKS JWT authenticator's issuer: "
        "AKS signs Entra ID users in through its managed Entra ID integration (`az aks get-credentials` and Azure's "
        "kubelogin), not through an authenticator; remove it here, and give its users `az aks get-credentials "
        "--resource-group rg-apps --name apps-aks` on a cluster with AKS-managed Entra ID integration"
    }
    # Entra ID stays fine on the other cluster types.
    assert load(MINIMAL).clusters["demo"].identity_providers == ["entra"]


def test_an_idp_with_a_private_ca_is_fine_within_the_authenticators_bounds() -> None:
    config = load(with_cluster("apps", aks(identity_providers=["sso"]), sso=sso(CA_PEM)))
    assert config.identity_providers["sso"].issuer_certificate_authority == base64.b64encode(CA_PEM).decode()


def test_a_ca_bundle_beyond_what_an_authenticator_takes_is_refused_before_deploy() -> None:
    # The authenticator's props (AksJwtAuthenticatorProps) are built by `validate` as synth builds them.
    bundle = b"".join(trustme.CA().cert_pem.bytes() for _ in range(11))
    problems = problems_of(with_cluster("apps", aks(identity_providers=["jc", "sso"]), sso=sso(bundle)))
    assert problems == {
        "clusters.apps.identity_providers[1]": "certificate_authority_data of issuer "
        "'https://sso.acme.internal/realms/eng' holds 11 certificates; AKS takes at most 10"
    }
    # The same IdP on a self-managed cluster: kube-apiserver takes any bundle.
    onprem = {
        "type": "kubernetes",
        "endpoint": "https://k8s.acme.internal:6443",
        "certificate_authority_data": base64.b64encode(CA_PEM).decode(),
        "identity_providers": ["sso"],
    }
    assert load(with_cluster("onprem", onprem, sso=sso(bundle)))

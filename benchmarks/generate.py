"""Generated inputs for the benchmarks: configs with N pair stacks and matching outputs files."""

from __future__ import annotations

import base64
import json
from typing import Any

import yaml

IDPS: dict[str, dict[str, Any]] = {
    "okta": {"type": "okta"},
    "entra": {"type": "entra_id", "security_groups": ["k8s-admins"]},
    "gws": {"type": "google_workspace", "client_id": "1234-abc.apps.googleusercontent.com"},
    "jc": {"type": "jumpcloud", "client_id": "5f1e2d3c"},
}
# A real self-signed certificate (its key was thrown away): the render step checks CA data is a PEM certificate.
BENCH_CA_PEM = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBiTCCAS+gAwIBAgIUSQUkUW6e46BSOdk3ggOdD061HjgwCgYIKoZIzj0EAwIw\n"
    "GTEXMBUGA1UEAwwOazhzLW9pZGMtYmVuY2gwIBcNMjYxMTMwMDIwNzUwWhgPMjEy\n"
    "NjExMDYwMjA3NTBaMBkxFzAVBgNVBAMMDms4cy1vaWRjLWJlbmNoMFkwEwYHKoZI\n"
    "zj0CAQYIKoZIzj0DAQcDQgAEp0XZVkJPH937vjOcReyGQjllJUhM1AyRx1OByJL/\n"
    "/qnfPQQdWGB9LoIBOpdMexh6FV+lNO+xWBIVtqn6YynZraNTMFEwHQYDVR0OBBYE\n"
    "FIPX3lhbmPa1SF8X1a+BHmBPLR3hMB8GA1UdIwQYMBaAFIPX3lhbmPa1SF8X1a+B\n"
    "HmBPLR3hMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgf8Stkz4W\n"
    "RBx2Ej+diZvs2Z8ac6i6WTdj1MmrwvrZIwcCIQCQXL7tbKeH6rywSlMaNCVa7r9A\n"
    "wjXfCHBKJPqf90uYgw==\n"
    "-----END CERTIFICATE-----\n"
)
BENCH_CA_DATA = base64.b64encode(BENCH_CA_PEM.encode()).decode()


def config_document(pair_stacks: int) -> dict[str, Any]:
    """Existing clusters, alternating EKS (one IdP, cycling through all four) and GKE (two IdPs),
    until `pair_stacks` pair stacks exist; one access rule per IdP."""
    clusters: dict[str, Any] = {}
    idp_names = list(IDPS)
    made = index = 0
    while made < pair_stacks:
        if index % 2 == 0 or pair_stacks - made == 1:
            clusters[f"eks{index}"] = {
                "type": "eks",
                "region": "us-west-2",
                "cluster_name": f"Eks{index}",
                "identity_providers": [idp_names[index % 4]],
            }
            made += 1
        else:
            clusters[f"gke{index}"] = {
                "type": "gke",
                "project": "acme-bench",
                "location": "us-west1",
                "cluster_name": f"gke{index}",
                "identity_providers": ["okta", "jc"],
            }
            made += 2
        index += 1
    return _document(clusters)


EKS_CHAIN_IDPS = ["okta", "jc", "gws"]
"""The IdPs of each multi-IdP EKS cluster of the mixed config: three pair stacks in a chain."""


def mixed_config_document(pair_stacks: int) -> dict[str, Any]:
    """Existing EKS clusters with three IdPs (chained pair stacks) alternating with self-managed
    (`kubernetes`) clusters with all four, until `pair_stacks` pair stacks exist."""
    clusters: dict[str, Any] = {}
    made = index = 0
    while made < pair_stacks:
        left = pair_stacks - made
        if index % 2 == 0:
            idps = EKS_CHAIN_IDPS[: min(left, len(EKS_CHAIN_IDPS))]
            clusters[f"eks{index}"] = {
                "type": "eks",
                "region": "us-west-2",
                "cluster_name": f"Eks{index}",
                "identity_providers": idps,
            }
        else:
            idps = list(IDPS)[: min(left, len(IDPS))]
            clusters[f"onprem{index}"] = {
                "type": "kubernetes",
                "endpoint": f"https://onprem{index}.k8s.example.com:6443",
                "certificate_authority_data": BENCH_CA_DATA,
                "identity_providers": idps,
            }
        made += len(idps)
        index += 1
    return _document(clusters)


AKS_IDPS = ["okta", "jc", "sso"]
"""The IdPs of each AKS cluster of the AKS config (three chained pair stacks): AKS takes no `entra_id`, and `sso`
is an `oidc` IdP behind a private CA (its authenticator carries the CA bundle)."""
SSO: dict[str, Any] = {
    "type": "oidc",
    "issuer_url": "https://sso.example.com/realms/eng",
    "client_id": "kubernetes",
    "certificate_authority_data": BENCH_CA_DATA,
}


def aks_config_document(pair_stacks: int) -> dict[str, Any]:
    """Existing AKS clusters with three IdPs each (a chain of pair stacks, each with its JWT authenticator), until
    `pair_stacks` pair stacks exist."""
    clusters: dict[str, Any] = {}
    made = index = 0
    while made < pair_stacks:
        idps = AKS_IDPS[: min(pair_stacks - made, len(AKS_IDPS))]
        clusters[f"aks{index}"] = {
            "type": "aks",
            "subscription_id": "00000000-0000-0000-0000-000000000000",
            "resource_group": "rg-bench",
            "cluster_name": f"aks{index}",
            "identity_providers": idps,
        }
        made += len(idps)
        index += 1
    return _document(clusters, {**IDPS, "sso": SSO})


FLEET_IDPS: dict[str, dict[str, Any]] = {
    "okta": {"type": "okta", "application": "shared"},
    "entra": {"type": "entra_id", "application": "shared", "security_groups": ["k8s-admins"]},
}
"""The IdPs of a fleet: each one application for all of its clusters."""


def fleet_config_document(clusters: int) -> dict[str, Any]:
    """`clusters` existing EKS clusters, each trusting both fleet IdPs: 2 × `clusters` pair stacks, and per
    IdP an all-clusters script of `clusters` contexts (each a stack name, as every cluster has two IdPs)."""
    fleet = {
        f"eks{index}": {
            "type": "eks",
            "region": "us-west-2",
            "cluster_name": f"Eks{index}",
            "identity_providers": list(FLEET_IDPS),
        }
        for index in range(clusters)
    }
    document = _document(fleet)
    document["identity_providers"] = FLEET_IDPS
    document["access"] = [rule for rule in document["access"] if rule["identity_provider"] in FLEET_IDPS] + [
        {"identity_provider": "okta", "group": "team-a", "cluster_role": "edit", "namespace": "team-a"}
    ]
    return document


def _document(clusters: dict[str, Any], idps: dict[str, Any] = IDPS) -> dict[str, Any]:
    """A config with every IdP of `idps` (default: the four of `IDPS`), these clusters, and one access rule per
    IdP of `IDPS`."""
    access = [
        {"identity_provider": "okta", "group": "k8s-admins", "cluster_role": "cluster-admin"},
        {"identity_provider": "entra", "group": "k8s-admins", "cluster_role": "cluster-admin"},
        {"identity_provider": "gws", "user": "jane@example.com", "cluster_role": "view"},
        {"identity_provider": "jc", "group": "k8s-viewers", "cluster_role": "view"},
    ]
    return {"version": 1, "identity_providers": idps, "clusters": clusters, "access": access}


def config_text(pair_stacks: int) -> str:
    return yaml.safe_dump(config_document(pair_stacks), sort_keys=False)


def mixed_config_text(pair_stacks: int) -> str:
    return yaml.safe_dump(mixed_config_document(pair_stacks), sort_keys=False)


def aks_config_text(pair_stacks: int) -> str:
    return yaml.safe_dump(aks_config_document(pair_stacks), sort_keys=False)


def outputs_document(config: dict[str, Any]) -> dict[str, Any]:
    """What `cdktf deploy --outputs-file` would write for `config` (contract 4 shapes); a shared application's
    pairs all carry its client id."""
    outputs: dict[str, Any] = {}
    for cluster_key, cluster in config["clusters"].items():
        for idp_name in cluster["identity_providers"]:
            idp = config["identity_providers"][idp_name]
            needs_secret = idp["type"] == "google_workspace"
            shared = idp.get("application") == "shared"
            stack: dict[str, Any] = {
                "oidc_config": {
                    "client_id": f"client-{idp_name}" if shared else f"client-{cluster_key}-{idp_name}",
                    "issuer_url": f"https://{idp_name}.example.com/oauth2/default",
                    "user_claim": "email",
                    "groups_claim": None if needs_secret else "groups",
                    "username_prefix": f"{idp_name}:",
                    "groups_prefix": f"{idp_name}:",
                    "scopes": ["openid", "profile", "email"],
                    "pkce_method": "S256",
                    "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
                    "requires_client_secret": needs_secret,
                },
                "cluster": {
                    # A self-managed cluster is named by its key and has no region (contract 4).
                    "name": cluster.get("cluster_name", cluster_key),
                    "type": cluster["type"],
                    "region_or_location": cluster.get("region") or cluster.get("location"),
                    "endpoint": cluster.get("endpoint", f"https://{cluster_key}.k8s.example.com"),
                    "certificate_authority_data": BENCH_CA_DATA,
                },
            }
            if needs_secret:
                stack["oidc_client_secret"] = "GOCSPX-bench"
            outputs[f"{cluster_key}-{idp_name}"] = stack
            if shared:
                # Its `<idp>-idp` stack's own output, which a deploy writes beside the pairs'.
                outputs[f"{idp_name}-idp"] = {"oidc_config": stack["oidc_config"]}
    return outputs


def outputs_text(config: dict[str, Any]) -> str:
    return json.dumps(outputs_document(config))

"""Identity Service for GKE: the merge patches the cluster admin script applies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from render.inputs import OidcLogin

_EXTERNAL_LOAD_BALANCER: dict[str, Any] = {
    "annotations": {
        "cloud.google.com/load-balancer-type": "External",
        "cloud.google.com/neg": '{"ingress":true,"exposed_ports":{"443":{}}}',
        # null removes it: GKE's newer annotation would keep the load balancer internal.
        "networking.gke.io/load-balancer-type": None,
    }
}


def envoy_service_patch(source_ranges: Sequence[str] | None) -> dict[str, Any]:
    """A merge patch that exposes `gke-oidc-envoy` (namespace anthos-identity-service) on an external load
    balancer, port 443, admitting only `source_ranges` (the cluster's `public_access_cidrs`). None: the
    patch leaves the service's source ranges as they are (the admin script asks before exposing an
    endpoint that admits every address); ranges set by hand are not removed."""
    patch: dict[str, Any] = {"metadata": _EXTERNAL_LOAD_BALANCER}
    if source_ranges is not None:
        patch["spec"] = {"loadBalancerSourceRanges": list(source_ranges)}
    return patch


def client_config_patch(identity_providers: Sequence[tuple[str, OidcLogin]]) -> dict[str, Any]:
    """One merge patch for ClientConfig `default` (kube-public) with an entry per IdP of the cluster: a
    merge patch replaces the whole `authentication` list, so one IdP per patch would drop the others."""
    return {"spec": {"authentication": [_authentication(name, oidc) for name, oidc in identity_providers]}}


def _authentication(name: str, oidc: OidcLogin) -> dict[str, Any]:
    settings: dict[str, Any] = {"clientID": oidc.client_id}
    if oidc.client_secret is not None:
        settings["clientSecret"] = oidc.client_secret
    settings |= {
        "issuerURI": oidc.issuer_url,
        "kubectlRedirectURI": oidc.redirect_uris[0],
        "scopes": ",".join(oidc.scopes),
        "userClaim": oidc.user_claim,
    }
    if oidc.groups_claim is not None:
        settings["groupsClaim"] = oidc.groups_claim
    settings |= {"userPrefix": oidc.username_prefix, "groupPrefix": oidc.groups_prefix}
    return {"name": name, "oidc": settings}


def patch_json(patch: dict[str, Any]) -> str:
    return json.dumps(patch, indent=2, ensure_ascii=False) + "\n"

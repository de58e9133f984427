"""GKE with Identity Service: `admin/<cluster>/configure-identity-service.sh`, the script that turns on
Identity Service, exposes `gke-oidc-envoy` (DESIGN.md contract 5) and patches the cluster's ClientConfig
with one entry per identity provider, and the merge patches it applies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from render import templating
from render.layout import ADMIN_SCRIPT, FileKind, admin_file, file
from render.pair_outputs import OidcLogin
from render.pairs import Pair, has_secret
from render.tree import File
from stacks.config import Config, GkeClusterConfig

ADMIN_SCRIPT_TEMPLATE = templating.shell_template("configure-identity-service.sh.jinja")


def admin_files(config: Config, key: str, pairs: Sequence[Pair]) -> dict[str, File]:
    """The admin script of GKE cluster `key`, for its rendered pairs' IdPs."""
    cluster = config.clusters[key]
    assert isinstance(cluster, GkeClusterConfig)  # the builder of GKE Identity Service clusters
    identity_providers = [
        (pair.outputs.identity_provider, pair.outputs.oidc) for pair in pairs if pair.outputs.oidc is not None
    ]
    source_ranges = cluster.identity_service_source_ranges
    text = ADMIN_SCRIPT_TEMPLATE.render(
        cluster_key=key,
        cluster_name=cluster.cluster_name or key,
        project=cluster.project,
        location=cluster.location,
        identity_providers=", ".join(name for name, _ in identity_providers),
        source_ranges=" ".join(source_ranges) if source_ranges else None,
        service_patch=patch_json(envoy_service_patch(source_ranges)),
        client_config_patch=patch_json(client_config_patch(identity_providers)),
    )
    # The patch carries a Google Workspace IdP's client secret.
    return {admin_file(key, ADMIN_SCRIPT): file(text, FileKind.SCRIPT, secret=has_secret(pairs))}


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

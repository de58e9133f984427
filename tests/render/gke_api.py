"""Routes that make the local API server look like a GKE cluster with (or without) Identity Service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from render_support import ApiServer, Request, status

ADMIN_TOKEN = "gke-admin-token"
CLIENT_CONFIG_PATH = "/apis/authentication.gke.io/v2alpha1/namespaces/kube-public/clientconfigs/default"
ENVOY_PATH = "/api/v1/namespaces/anthos-identity-service/services/gke-oidc-envoy"
GROUP_VERSION = "authentication.gke.io/v2alpha1"


def _enabled(api: ApiServer) -> bool:
    return Path(api.state["enabled_marker"]).exists()


def _authorized(route: Any) -> Any:
    def answer(api: ApiServer, request: Request) -> tuple[int, Any]:
        if request.authorization != f"Bearer {ADMIN_TOKEN}":
            return 401, status(401, "Unauthorized")
        return route(api, request)

    return answer


def _core(api: ApiServer, request: Request) -> tuple[int, Any]:
    return 200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}


def _core_v1(api: ApiServer, request: Request) -> tuple[int, Any]:
    services = {"name": "services", "singularName": "service", "namespaced": True, "kind": "Service"}
    namespaces = {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace"}
    return 200, {
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            {**services, "verbs": ["get", "list", "patch"], "shortNames": ["svc"]},
            {**namespaces, "verbs": ["get", "list"], "shortNames": ["ns"]},
        ],
    }


def _groups(api: ApiServer, request: Request) -> tuple[int, Any]:
    version = {"groupVersion": GROUP_VERSION, "version": "v2alpha1"}
    groups = (
        [{"name": "authentication.gke.io", "versions": [version], "preferredVersion": version}] if _enabled(api) else []
    )
    return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def _group_resources(api: ApiServer, request: Request) -> tuple[int, Any]:
    if not _enabled(api):
        return 404, status(404, "NotFound")
    resource = {"name": "clientconfigs", "singularName": "clientconfig", "namespaced": True, "kind": "ClientConfig"}
    return 200, {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": GROUP_VERSION,
        "resources": [{**resource, "verbs": ["get", "list", "patch"]}],
    }


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch, as the API server applies `kubectl patch --type merge`."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _object(kind: str, api_version: str, namespace: str, name: str) -> Any:
    """An object that keeps the merge patches it receives (state `objects`, by path)."""

    def answer(api: ApiServer, request: Request) -> tuple[int, Any]:
        if not _enabled(api):
            return 404, status(404, "NotFound")
        objects = api.state.setdefault("objects", {})
        body = objects.get(
            request.path,
            {"apiVersion": api_version, "kind": kind, "metadata": {"name": name, "namespace": namespace}},
        )
        if request.method == "PATCH":
            patch = json.loads(request.body.decode())
            api.state.setdefault("patches", []).append((request.path, request.content_type, patch))
            body = objects[request.path] = merge_patch(body, patch)
        return 200, body

    return answer


_namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-public"}}


def serve_gke(api: ApiServer, enabled_marker: Path) -> None:
    """Identity Service counts as enabled once `enabled_marker` exists (the gcloud stand-in makes it)."""
    api.state["enabled_marker"] = str(enabled_marker)
    client_config = _object("ClientConfig", GROUP_VERSION, "kube-public", "default")
    envoy = _object("Service", "v1", "anthos-identity-service", "gke-oidc-envoy")
    routes = {
        ("GET", "/api/v1/namespaces/kube-public"): lambda api, request: (200, _namespace),
        ("GET", "/api"): _core,
        ("GET", "/api/v1"): _core_v1,
        ("GET", "/apis"): _groups,
        ("GET", f"/apis/{GROUP_VERSION}"): _group_resources,
        ("GET", CLIENT_CONFIG_PATH): client_config,
        ("PATCH", CLIENT_CONFIG_PATH): client_config,
        ("GET", ENVOY_PATH): envoy,
        ("PATCH", ENVOY_PATH): envoy,
    }
    api.routes.update({key: _authorized(route) for key, route in routes.items()})


def admin_kubeconfig(api: ApiServer, ca_data: str, path: Path) -> Path:
    path.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "gke", "cluster": {"server": api.url, "certificate-authority-data": ca_data}}],
                "users": [{"name": "gke-admin", "user": {"token": ADMIN_TOKEN}}],
                "contexts": [{"name": "gke-admin", "context": {"cluster": "gke", "user": "gke-admin"}}],
                "current-context": "gke-admin",
            }
        ),
        encoding="utf-8",
    )
    return path


def patches(api: ApiServer) -> list[tuple[str, str | None, Any]]:
    """(path, content type, body) of every PATCH the server received, in order."""
    return list(api.state.get("patches", []))

"""A small valid config and the helpers the config tests load it with."""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.config import Config, parse_config
from stacks.errors import UserError

MINIMAL: dict[str, Any] = {
    "version": 1,
    "identity_providers": {
        "okta-main": {"type": "okta"},
        "entra": {"type": "entra_id", "security_groups": ["k8s-admins"]},
        "gws": {"type": "google_workspace", "client_id": "1-abc.apps.googleusercontent.com"},
        "jc": {"type": "jumpcloud", "client_id": "5f1e2d3c"},
    },
    "clusters": {
        "prod": {
            "type": "eks",
            "region": "us-west-2",
            "cluster_name": "ProdCluster",
            "identity_providers": ["okta-main"],
        },
        "data": {
            "type": "gke",
            "project": "acme-data",
            "location": "us-west1",
            "cluster_name": "data-cluster",
            "identity_providers": ["gws", "jc"],
        },
        "demo": {
            "type": "eks",
            "region": "us-west-2",
            "create": {
                "kubernetes_version": "1.33",
                "availability_zones": ["us-west-2a", "us-west-2b"],
                "public_access_cidrs": ["203.0.113.0/24"],
            },
            "identity_providers": ["entra"],
        },
    },
    "access": [{"identity_provider": "okta-main", "group": "k8s-admins", "cluster_role": "cluster-admin"}],
}


def load(document: Any) -> Config:
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
    return parse_config(text, Path("oidc.yaml"))


def problems_of(document: Any) -> dict[str, str]:
    with pytest.raises(UserError) as raised:
        load(document)
    assert raised.value.source == "oidc.yaml"
    return {problem.path: problem.message for problem in raised.value.problems}


def mutated(path: str, value: Any) -> dict[str, Any]:
    """MINIMAL with the dotted `path` set to `value` (or removed when value is DELETE)."""
    document = copy.deepcopy(MINIMAL)
    *parents, last = path.split(".")
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return document


def with_cluster(name: str, cluster: dict[str, Any], **idps: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(MINIMAL)
    document["clusters"][name] = cluster
    document["identity_providers"].update(idps)
    return document


DELETE = object()


EXAMPLE_CONFIG = Path(__file__).resolve().parents[3] / "oidc.yaml"


CA_PEM = (Path(__file__).resolve().parents[2] / "fixtures" / "pki" / "onprem-ca.crt").read_bytes()
"""The test PKI's CA certificate (PEM): what a self-managed cluster or an `oidc` IdP names as its CA."""
CA_DATA = base64.b64encode(CA_PEM).decode()


ONPREM: dict[str, Any] = {
    "type": "kubernetes",
    "endpoint": "https://k8s.acme.internal:6443",
    "certificate_authority_data": CA_DATA,
    "identity_providers": ["okta-main", "jc"],
}


def kubernetes_problems(tmp_path: Path, **changes: Any) -> dict[str, str]:
    """The problems of MINIMAL plus the self-managed cluster `onprem` (ONPREM with `changes`; None removes a key)."""
    onprem = {key: value for key, value in {**ONPREM, **changes}.items() if value is not None}
    with pytest.raises(UserError) as raised:
        parse_config(yaml.safe_dump(with_cluster("onprem", onprem)), tmp_path / "oidc.yaml")
    return {problem.path: problem.message for problem in raised.value.problems}

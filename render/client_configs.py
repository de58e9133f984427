"""GKE ClientConfigs (`render --client-config CLUSTER=FILE`, DESIGN.md contract 5): with Identity Service,
developers reach a GKE cluster through the server and CA of its ClientConfig (`kubectl get clientconfig
default -n kube-public -o json`), not the `cluster` output's. A ClientConfig is input too: checked like
outputs, every problem named by the option that gave the file."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Literal

from pydantic import Field

from constructs_lib.outputs import CertificateData, ContractModel, HttpsUrl
from stacks.config import ClusterKind, Config
from stacks.config.messages import describe, validate
from stacks.errors import Problem
from stacks.input_files import json_or_problem


class ClientConfigSpec(ContractModel):
    server: HttpsUrl
    certificate_authority_data: CertificateData = Field(alias="certificateAuthorityData")


class ClientConfig(ContractModel):
    """The parts of a GKE ClientConfig that replace the cluster output's server and CA."""

    kind: Literal["ClientConfig"] = "ClientConfig"
    spec: ClientConfigSpec


def read_client_configs(
    config: Config, client_configs: Mapping[str, Path], problems: list[Problem]
) -> dict[str, ClientConfig]:
    """{cluster key: its ClientConfig} for each `--client-config`; each problem recorded in `problems`."""
    endpoints: dict[str, ClientConfig] = {}
    for cluster_key, path in client_configs.items():
        where = f"--client-config {cluster_key}={path}"
        cluster = config.clusters.get(cluster_key)
        if cluster is None:
            problems.append(Problem(where, f"unknown cluster; the config's clusters: {', '.join(config.clusters)}"))
            continue
        if cluster.kind is ClusterKind.GKE_WORKFORCE:
            problems.append(
                Problem(
                    where,
                    f"cluster {cluster_key!r} uses workforce_identity: gcloud finds its server, not a ClientConfig",
                )
            )
            continue
        if cluster.kind is not ClusterKind.GKE_IDENTITY_SERVICE:
            problems.append(Problem(where, f"cluster {cluster_key!r} is {cluster.type}; ClientConfigs are GKE's"))
            continue
        data = json_or_problem(path, where, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(where, f"must be a ClientConfig JSON object, got {describe(data)}"))
            continue
        client_config = validate(ClientConfig, data, (where,), problems, from_yaml=False)
        if client_config is not None:
            endpoints[cluster_key] = client_config
    return endpoints


def missing_client_config_warnings(config: Config, given: Collection[str], rendered: Collection[str]) -> list[str]:
    """A warning per rendered Identity Service cluster without a ClientConfig: its developers get the
    `cluster` output's server, which Identity Service doesn't answer on."""
    return [
        f"{key}: GKE server taken from the cluster output: pass --client-config for Identity Service "
        f"clusters (--client-config {key}=FILE, FILE from "
        "`kubectl get clientconfig default -n kube-public -o json`)"
        for key, cluster in config.clusters.items()
        if cluster.kind is ClusterKind.GKE_IDENTITY_SERVICE and key not in given and key in rendered
    ]

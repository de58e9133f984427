"""Props of the existing AKS cluster construct, and what an AKS cluster exposes (cdktf-free: the config
model builds these props to validate `oidc.yaml`).

The rules are Azure Resource Manager's, from its published API: a subscription id is a UUID; a resource
group name is 1-90 letters, digits, `_`, `-`, `.`, `(` and `)` (`^[-\\w\\._\\(\\)]+$`, common-types v6),
not ending in `.` (Azure's naming rules); an AKS cluster name is 1-63 letters, digits, `-` and `_`, starting
and ending with a letter or digit (`^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$`,
Microsoft.ContainerService managedClusters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_literal

_SUBSCRIPTION_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_RESOURCE_GROUP = re.compile(r"[-\w.()]{1,90}")
_CLUSTER_NAME = re.compile(r"[a-zA-Z0-9]|[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]")


class AksClusterReference(KubernetesCluster, Protocol):
    """An AKS cluster as its JWT authenticators see it (values may be tokens)."""

    @property
    def resource_id(self) -> str:
        """`/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>`."""
        ...


@dataclass(frozen=True, kw_only=True)
class ExistingAksClusterProps:
    """An AKS cluster someone else owns, found by subscription, resource group and name. Values may be
    cdktf tokens (then only Azure checks them)."""

    subscription_id: str
    """The Azure subscription that holds the cluster, a UUID (`az account show --query id -o tsv`)."""
    resource_group: str
    """The cluster's resource group (not the `MC_…` node resource group)."""
    cluster_name: str
    """The cluster's name in the Azure portal (`az aks list --query '[].name'`)."""

    def __post_init__(self) -> None:
        raise_problems(self._check_subscription_id, self._check_resource_group, self._check_cluster_name)

    def _check_subscription_id(self) -> None:
        if is_literal(self.subscription_id) and not _SUBSCRIPTION_ID.fullmatch(self.subscription_id):
            raise PropsError(
                "subscription_id",
                f"subscription_id {self.subscription_id!r} is not an Azure subscription id: a UUID such as "
                "'00000000-0000-0000-0000-000000000000' (`az account show --query id -o tsv` prints yours)",
            )

    def _check_resource_group(self) -> None:
        group = self.resource_group
        if is_literal(group) and (not _RESOURCE_GROUP.fullmatch(group) or group.endswith(".")):
            raise PropsError(
                "resource_group",
                f"resource_group {group!r} is not an Azure resource group name: 1 to 90 letters, digits, '_', "
                "'-', '.', '(' and ')', not ending in '.'; e.g. 'rg-apps'",
            )

    def _check_cluster_name(self) -> None:
        if is_literal(self.cluster_name) and not _CLUSTER_NAME.fullmatch(self.cluster_name):
            raise PropsError(
                "cluster_name",
                f"cluster_name {self.cluster_name!r} is not an AKS cluster name: 1 to 63 letters, digits, '-' "
                "and '_', starting and ending with a letter or digit; e.g. 'apps-aks'",
            )

    @property
    def resource_group_id(self) -> str:
        """`/subscriptions/<subscription_id>/resourceGroups/<resource_group>`: the cluster's parent."""
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"

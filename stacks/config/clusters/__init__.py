"""The `clusters.<name>` entries: one model per config `type`, in the module named after it. A model says its
cluster kind (`kind`: GKE's `auth` makes two), and each kind's facts are in `stacks.config.cluster_kinds`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from stacks.config.clusters.aks import AksClusterConfig
from stacks.config.clusters.eks import EksClusterConfig, EksCreate
from stacks.config.clusters.gke import GkeAuth, GkeClusterConfig, GkeCreate
from stacks.config.clusters.self_managed import KubernetesClusterConfig

ClusterConfig = Annotated[
    EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig | AksClusterConfig, Field(discriminator="type")
]
"""An entry of any type, told apart by its `type`; a new cluster type joins here."""

__all__ = [
    "AksClusterConfig",
    "ClusterConfig",
    "EksClusterConfig",
    "EksCreate",
    "GkeAuth",
    "GkeClusterConfig",
    "GkeCreate",
    "KubernetesClusterConfig",
]

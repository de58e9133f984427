"""What every cluster construct exposes, whether it creates the cluster or reads an existing one."""

from __future__ import annotations

from typing import Protocol

from constructs_lib.outputs import ClusterOutput
from constructs_lib.outputs import ClusterType as ClusterType  # the contract's; imported from here too
from constructs_lib.terraform_literals import escaped


class KubernetesCluster(Protocol):
    """A cluster as the pair stacks and the `cluster` output see it (values may be tokens)."""

    @property
    def cluster_type(self) -> ClusterType: ...

    @property
    def cluster_name(self) -> str: ...

    @property
    def region_or_location(self) -> str | None:
        """The cloud region or location; None for a self-managed cluster, which has none."""
        ...

    @property
    def endpoint(self) -> str:
        """`https://…` URL of the API server."""
        ...

    @property
    def certificate_authority_data(self) -> str:
        """Base64 PEM of the cluster CA, as kubeconfig's `certificate-authority-data` wants it."""
        ...


def cluster_output(cluster: KubernetesCluster) -> dict[str, object]:
    """The `cluster` stack output (contract 4, `constructs_lib.outputs`), its strings written as Terraform
    must read them (`terraform_literals`): put it into a `TerraformOutput` as it is."""
    return escaped(
        ClusterOutput.value_of(
            name=cluster.cluster_name,
            type=cluster.cluster_type.value,
            region_or_location=cluster.region_or_location,
            endpoint=cluster.endpoint,
            certificate_authority_data=cluster.certificate_authority_data,
        )
    )


def gcp_region(location: str) -> str:
    """The region of a GKE location: `us-west1-a` → `us-west1`; a region stays as it is."""
    return "-".join(location.split("-")[:2])

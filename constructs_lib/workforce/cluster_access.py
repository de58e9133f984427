"""IAM for a workforce cluster: lets federated principals fetch the cluster's credentials
(`roles/container.clusterViewer`); what they may do inside is RBAC's business (`rbac.yaml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cdktf_cdktf_provider_google.project_iam_member import ProjectIamMember
from constructs import Construct

from constructs_lib.terraform_literals import escaped

CLUSTER_VIEWER_ROLE = "roles/container.clusterViewer"


@dataclass(frozen=True, kw_only=True)
class WorkforceClusterAccessProps:
    project: str
    members: tuple[str, ...]
    """`principalSet://…` / `principal://…` identifiers of the workforce pool."""
    role: str = CLUSTER_VIEWER_ROLE
    """Default: the least role that lets `gcloud container clusters get-credentials` work."""

    def __post_init__(self) -> None:
        if not self.members:
            raise ValueError("members must name at least one workforce principal or principal set")
        for member in self.members:
            if not re.fullmatch(r"principal(Set)?://iam\.googleapis\.com/locations/global/workforcePools/\S+", member):
                raise ValueError(f"member {member!r} is not a workforce pool principal(Set):// identifier")


class WorkforceClusterAccess(Construct):
    """One `google_project_iam_member` per member (additive: other bindings on the project stay)."""

    def __init__(self, scope: Construct, id_: str, *, props: WorkforceClusterAccessProps) -> None:
        super().__init__(scope, id_)
        tf = escaped(props)  # the props' strings as Terraform must read them
        for member, tf_member in zip(props.members, tf.members, strict=True):
            # Keyed by the member (construct ids can't hold '/'): reordering members moves nothing.
            key = member.split("workforcePools/", 1)[1].replace("/", ":")
            ProjectIamMember(self, key, project=tf.project, role=tf.role, member=tf_member)

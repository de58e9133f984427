"""A Google Cloud workforce identity pool: where federated IdP users become Google principals."""

from __future__ import annotations

from cdktf_cdktf_provider_google.iam_workforce_pool import IamWorkforcePool
from constructs import Construct

from constructs_lib.workforce.pool_props import WORKFORCE_LOCATION, WorkforcePoolProps


class WorkforcePool(Construct):
    """`google_iam_workforce_pool` under `organizations/<id>`, location `global`."""

    def __init__(self, scope: Construct, id_: str, *, props: WorkforcePoolProps) -> None:
        super().__init__(scope, id_)
        self.pool_id = props.pool_id
        self.pool = IamWorkforcePool(
            self,
            "pool",
            parent=f"organizations/{props.organization_id}",
            location=WORKFORCE_LOCATION,
            workforce_pool_id=props.pool_id,
            display_name="k8s-oidc engineers",
            description="Kubernetes (GKE) sign-in federated from the company identity providers (k8s-oidc)",
            session_duration=props.session_duration,
        )

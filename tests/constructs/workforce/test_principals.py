"""Workforce pool identifiers, as IAM, RBAC and the IdPs' web clients spell them."""

from __future__ import annotations

from constructs_lib.workforce.principals import (
    group_principal_set,
    provider_id_for,
    provider_principal_set,
    signin_callback,
    user_principal,
)


def test_principal_identifiers() -> None:
    assert group_principal_set("p0ol-x", "admins") == (
        "principalSet://iam.googleapis.com/locations/global/workforcePools/p0ol-x/group/admins"
    )
    assert user_principal("p0ol-x", "jane@example.com") == (
        "principal://iam.googleapis.com/locations/global/workforcePools/p0ol-x/subject/jane@example.com"
    )
    assert provider_principal_set("p0ol-x", "okta") == (
        "principalSet://iam.googleapis.com/locations/global/workforcePools/p0ol-x/attribute.k8s_oidc_provider/okta"
    )
    assert signin_callback("p0ol-x", "okta") == (
        "https://auth.cloud.google/signin-callback/locations/global/workforcePools/p0ol-x/providers/okta"
    )
    assert provider_id_for("jc") == "jc-idp"
    assert provider_id_for("okta") == "okta"

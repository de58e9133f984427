"""Workforce pool identifiers (cdktf-free: the render step uses them for RBAC subjects too)."""

from __future__ import annotations

IAM_PREFIX = "iam.googleapis.com/locations/global/workforcePools"
PROVIDER_ATTRIBUTE = "k8s_oidc_provider"
"""Custom attribute every pool provider sets to its own id, so IAM can grant to everyone signing in
through one IdP: `principalSet://…/attribute.k8s_oidc_provider/<provider>`."""


def group_principal_set(pool_id: str, group: str) -> str:
    return f"principalSet://{IAM_PREFIX}/{pool_id}/group/{group}"


def user_principal(pool_id: str, subject: str) -> str:
    return f"principal://{IAM_PREFIX}/{pool_id}/subject/{subject}"


def provider_principal_set(pool_id: str, provider_id: str) -> str:
    return f"principalSet://{IAM_PREFIX}/{pool_id}/attribute.{PROVIDER_ATTRIBUTE}/{provider_id}"


def signin_callback(pool_id: str, provider_id: str) -> str:
    """The redirect URI the IdP's web client must allow."""
    return (
        f"https://auth.cloud.google/signin-callback/locations/global/workforcePools/{pool_id}/providers/{provider_id}"
    )


def provider_id_for(idp_name: str) -> str:
    """Pool provider ids need 4–32 characters; IdP names may be shorter."""
    return idp_name if len(idp_name) >= 4 else f"{idp_name}-idp"

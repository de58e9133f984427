"""From config entries to the props of the constructs the stacks build (cdktf-free).

The one place where a config entry becomes props: `validate` builds them to check the config (so every
rule the constructs apply is applied here, with the error at the YAML key the value came from), and the
stacks build the very same props to make the constructs. A rule lives once, in the props.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from constructs_lib.cluster.eks_cluster_props import EksClusterProps, ExistingEksClusterProps
from constructs_lib.cluster.gke_cluster_props import ExistingGkeClusterProps, GkeClusterProps
from constructs_lib.idp.base_props import IdentityProviderProps
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.oidc import OidcClientType, redirect_uris
from constructs_lib.props_error import PropsError
from constructs_lib.workforce.pool_props import WorkforcePoolProps, check_workforce_provider_id
from constructs_lib.workforce.principals import provider_id_for, signin_callback
from stacks.config.messages import without_field_name
from stacks.config.models import (
    EksClusterConfig,
    EntraIdIdp,
    GkeAuth,
    GkeClusterConfig,
    GoogleWorkspaceIdp,
    IdentityProviderBase,
    JumpCloudIdp,
    KubernetesClusterConfig,
    OktaIdp,
    WorkforcePool,
)
from stacks.errors import Problem

ClusterProps = EksClusterProps | GkeClusterProps | ExistingEksClusterProps | ExistingGkeClusterProps

# Props fields whose config key differs from the field's name (relative to the entry; "/" = from the
# top of the file). Every other field is the config key of the same name.
_IDP_KEYS = {"redirect_uris": "/defaults.redirect_ports", "name": "", "client_type": "type"}
_WEB_CLIENT_KEYS = {**_IDP_KEYS, "client_id": "workforce_client_id"}
_CREATED_CLUSTER_KEYS = {
    "cluster_name": "",
    **{
        field: f"create.{field}"
        for field in (
            "kubernetes_version",
            "vpc_cidr",
            "availability_zones",
            "public_access_cidrs",
            "subnet_cidr",
            "pods_cidr",
            "services_cidr",
            "master_cidr",
            "release_channel",
            "machine_type",
            "node_count",
        )
    },
}


def identity_provider_props(
    idp: IdentityProviderBase,
    *,
    name: str,
    prefix: str,
    client_type: OidcClientType,
    redirect_uris: tuple[str, ...],
) -> IdentityProviderProps:
    """The props of `idp`'s construct: kubelogin's public client (`PUBLIC_NATIVE`, named after its pair
    stack) or the web client a Google workforce pool signs in with (`CONFIDENTIAL_WEB`)."""
    web = client_type is OidcClientType.CONFIDENTIAL_WEB
    common: dict[str, Any] = {
        "name": name,
        "prefix": prefix,
        "client_type": client_type,
        "redirect_uris": redirect_uris,
        "issuer_url": idp.issuer_url,
        "user_claim": idp.user_claim,
        "groups_claim": idp.groups_claim,
        "scopes": tuple(idp.scopes) if idp.scopes else None,
        # Google's web sign-in keeps no refresh token: only kubelogin's client can use one.
        "refresh_tokens": idp.refresh_tokens and not web,
        # Likewise the device grant: kubelogin's client only.
        "device_code": idp.device_code and not web,
    }
    if isinstance(idp, OktaIdp):
        return OktaOidcAppProps(
            **common,
            # The config's label names the kubelogin app; the web client keeps its own default so the
            # Okta console tells the two apart.
            app_label=None if web else idp.app_label,
            authorization_server_id=idp.authorization_server_id,
            group_filter_regex=idp.group_filter_regex,
        )
    if isinstance(idp, EntraIdIdp):
        return EntraIdOidcAppProps(**common, security_groups=tuple(idp.security_groups))
    if isinstance(idp, GoogleWorkspaceIdp):
        return GoogleWorkspaceOidcClientProps(**common, client_id=idp.client_id)
    if isinstance(idp, JumpCloudIdp):
        client_id = idp.workforce_client_id if web else idp.client_id
        assert client_id is not None, "the config checks require workforce_client_id for workforce clusters"
        return JumpCloudOidcClientProps(**common, client_id=client_id)
    raise AssertionError(f"unhandled identity provider type {type(idp).__name__}")


def created_cluster_props(name: str, cluster: EksClusterConfig | GkeClusterConfig) -> EksClusterProps | GkeClusterProps:
    """The props of a cluster the config creates (`create:`); the cluster is named after its config key."""
    if isinstance(cluster, EksClusterConfig):
        eks = cluster.create
        assert eks is not None
        return EksClusterProps(
            cluster_name=name,
            region=cluster.region,
            kubernetes_version=eks.kubernetes_version,
            availability_zones=tuple(eks.availability_zones),
            public_access_cidrs=tuple(eks.public_access_cidrs),
            vpc_cidr=eks.vpc_cidr,
        )
    gke = cluster.create
    assert gke is not None
    return GkeClusterProps(
        cluster_name=name,
        project=cluster.project,
        location=cluster.location,
        subnet_cidr=gke.subnet_cidr,
        pods_cidr=gke.pods_cidr,
        services_cidr=gke.services_cidr,
        master_cidr=gke.master_cidr,
        public_access_cidrs=tuple(gke.public_access_cidrs),
        release_channel=gke.release_channel,
        machine_type=gke.machine_type,
        node_count=gke.node_count,
        identity_service=cluster.auth is GkeAuth.IDENTITY_SERVICE,
    )


def existing_cluster_props(
    cluster: EksClusterConfig | GkeClusterConfig,
) -> ExistingEksClusterProps | ExistingGkeClusterProps:
    """The props that find a cluster someone else owns (`cluster_name:`)."""
    assert cluster.cluster_name is not None
    if isinstance(cluster, EksClusterConfig):
        return ExistingEksClusterProps(cluster_name=cluster.cluster_name, region=cluster.region)
    return ExistingGkeClusterProps(
        cluster_name=cluster.cluster_name, project=cluster.project, location=cluster.location
    )


def cluster_props(name: str, cluster: EksClusterConfig | GkeClusterConfig) -> ClusterProps:
    return created_cluster_props(name, cluster) if cluster.created else existing_cluster_props(cluster)


def workforce_pool_props(pool: WorkforcePool) -> WorkforcePoolProps:
    return WorkforcePoolProps(
        organization_id=pool.organization_id, pool_id=pool.pool_id, session_duration=pool.session_duration
    )


def check_props(
    idps: Mapping[str, IdentityProviderBase],
    clusters: Mapping[str, EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig],
    pool: WorkforcePool | None,
    redirect_ports: list[int],
    problems: list[Problem],
) -> None:
    """Build every construct's props the config makes, reporting each refusal at its config key."""
    public_client_uris = redirect_uris(tuple(redirect_ports))
    for name, idp in idps.items():
        with reported_at(f"identity_providers.{name}", _IDP_KEYS, problems):
            identity_provider_props(
                idp,
                name=name,
                prefix=default_prefix(name, idp),
                client_type=OidcClientType.PUBLIC_NATIVE,
                redirect_uris=public_client_uris,
            )
    for name, cluster in clusters.items():
        if isinstance(cluster, KubernetesClusterConfig):
            continue  # no construct: its model checks endpoint and CA with `constructs_lib.cluster.self_managed`
        with reported_at(f"clusters.{name}", cluster_keys(cluster), problems):
            cluster_props(name, cluster)
    if pool is None:
        return
    with reported_at("google_workforce_pool", {}, problems):
        workforce_pool_props(pool)
    for name, cluster in clusters.items():
        if not isinstance(cluster, GkeClusterConfig) or cluster.auth is not GkeAuth.WORKFORCE_IDENTITY:
            continue
        for index, idp_name in enumerate(cluster.identity_providers):
            web_idp = idps.get(idp_name)
            if web_idp is None or isinstance(web_idp, GoogleWorkspaceIdp):
                continue  # an unknown name, or an IdP that can't federate: the cross-entry checks say so
            if isinstance(web_idp, JumpCloudIdp) and web_idp.workforce_client_id is None:
                continue  # the cross-entry checks ask for it
            provider_id = provider_id_for(idp_name)
            with reported_at(f"clusters.{name}.identity_providers[{index}]", {"provider_id": ""}, problems):
                check_workforce_provider_id(provider_id)
            with reported_at(f"identity_providers.{idp_name}", _WEB_CLIENT_KEYS, problems):
                identity_provider_props(
                    web_idp,
                    name=idp_name,
                    prefix=default_prefix(idp_name, web_idp),
                    client_type=OidcClientType.CONFIDENTIAL_WEB,
                    redirect_uris=(signin_callback(pool.pool_id, provider_id),),
                )


def default_prefix(name: str, idp: IdentityProviderBase) -> str:
    """The username and groups prefix: the configured one, else `<name>:`."""
    return idp.prefix if idp.prefix is not None else f"{name}:"


@contextmanager
def reported_at(entry_path: str, keys: Mapping[str, str], problems: list[Problem]) -> Iterator[None]:
    """Each refusal of a `PropsError` raised inside becomes a `Problem` at the config key its field came from."""
    try:
        yield
    except PropsError as error:
        problems += [
            Problem(config_key(entry_path, problem.field, keys), without_field_name(str(problem), problem.field))
            for problem in error.problems
        ]


def cluster_keys(cluster: EksClusterConfig | GkeClusterConfig) -> Mapping[str, str]:
    """Created clusters take most values from `create:`; existing ones from the entry itself."""
    return _CREATED_CLUSTER_KEYS if cluster.created else {}


def config_key(entry_path: str, field: str, keys: Mapping[str, str]) -> str:
    key = keys.get(field, field)
    if key.startswith("/"):
        return key[1:]
    return f"{entry_path}.{key}" if key else entry_path

"""Config entries' props, built to apply the constructs' rules with each refusal at its config key (cdktf-free).

Each entry builds the props of its construct (`props` of the models in `identity_providers/` and `clusters/`):
`validate` builds them here to check the config, and the stacks build the very same props to make the
constructs. A rule lives once, in the props; this module only says at which YAML key a refused value was given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from constructs_lib.cluster.kubernetes_cluster import ClusterType
from constructs_lib.oidc import OidcClientType, redirect_uris
from constructs_lib.props_error import PropsError
from constructs_lib.tokens import KNOWN_AFTER_DEPLOY
from constructs_lib.workforce.pool_props import check_workforce_provider_id
from constructs_lib.workforce.principals import provider_id_for, signin_callback
from stacks.config.clusters import ClusterConfig
from stacks.config.identity_providers.base import Client, IdentityProviderBase
from stacks.config.messages import without_field_name
from stacks.config.validated import pair_stack_name
from stacks.config.workforce_pool import WorkforcePool
from stacks.errors import Problem


def check_props(
    idps: Mapping[str, IdentityProviderBase],
    clusters: Mapping[str, ClusterConfig],
    pool: WorkforcePool | None,
    redirect_ports: list[int],
    problems: list[Problem],
) -> None:
    """Build every construct's props the config makes, reporting each refusal at its config key."""
    public_client_uris = redirect_uris(tuple(redirect_ports))
    for name, idp in idps.items():
        client = Client(
            name=name,
            prefix=idp.username_prefix(name),
            client_type=OidcClientType.PUBLIC_NATIVE,
            redirect_uris=public_client_uris,
        )
        check_idp_props(f"identity_providers.{name}", idp, client, problems)
    for name, cluster in clusters.items():
        with reported_at(f"clusters.{name}", cluster.props_keys(), problems):
            cluster.props(name)
    if pool is None:
        return
    with reported_at("google_workforce_pool", {}, problems):
        pool.props()
    for name, cluster in clusters.items():
        if not cluster.facts.workforce_pool:
            continue
        for index, idp_name in enumerate(cluster.identity_providers):
            web_idp = idps.get(idp_name)
            if web_idp is None or web_idp.workforce_refusal(idp_name, name, index) is not None:
                continue  # an unknown name, or an IdP that can't federate as configured: the cross-entry checks say so
            provider_id = provider_id_for(idp_name)
            with reported_at(f"clusters.{name}.identity_providers[{index}]", {"provider_id": ""}, problems):
                check_workforce_provider_id(provider_id)
            web_client = Client(
                name=idp_name,
                prefix=web_idp.username_prefix(idp_name),
                client_type=OidcClientType.CONFIDENTIAL_WEB,
                redirect_uris=(signin_callback(pool.pool_id, provider_id),),
            )
            check_idp_props(f"identity_providers.{idp_name}", web_idp, web_client, problems)


@dataclass(frozen=True)
class ClusterBeforeDeploy:
    """A cluster of the config as the props of its trust see it before deploy: its type, and everything Terraform
    reads from the cloud (name, endpoint, CA, Azure resource id) as a stand-in that props leave alone."""

    cluster_type: ClusterType
    cluster_name: str = KNOWN_AFTER_DEPLOY
    region_or_location: str | None = KNOWN_AFTER_DEPLOY
    endpoint: str = KNOWN_AFTER_DEPLOY
    certificate_authority_data: str = KNOWN_AFTER_DEPLOY
    resource_id: str = KNOWN_AFTER_DEPLOY


def check_trust_props(
    idps: Mapping[str, IdentityProviderBase],
    clusters: Mapping[str, ClusterConfig],
    redirect_ports: list[int],
    problems: list[Problem],
) -> None:
    """The props of what each pair stack creates for its cluster to trust its IdP (an EKS identity provider
    config, an AKS JWT authenticator), built with what the config knows before deploy, as synth builds them
    after: each refusal at the cluster's `identity_providers[<index>]`. A pair whose IdP's own props are refused,
    or whose cluster's kind refuses the IdP outright (`identity_provider_refusal`), is left to those messages."""
    public_client_uris = redirect_uris(tuple(redirect_ports))
    for name, cluster in clusters.items():
        stand_in = ClusterBeforeDeploy(cluster.facts.output_type)
        for index, idp_name in enumerate(cluster.identity_providers):
            idp = idps.get(idp_name)
            if idp is None or cluster.identity_provider_refusal(idp_name, idp) is not None:
                continue
            client = Client(
                name=pair_stack_name(name, idp_name),
                prefix=idp.username_prefix(idp_name),
                client_type=OidcClientType.PUBLIC_NATIVE,
                redirect_uris=public_client_uris,
            )
            try:
                oidc_config = idp.oidc_config_before_deploy(client)
            except PropsError:
                continue  # reported at the IdP's keys
            try:
                cluster.trust_props(stand_in, oidc_config, idp_name)
            except PropsError as error:
                problems += [
                    Problem(f"clusters.{name}.identity_providers[{index}]", str(problem)) for problem in error.problems
                ]


def check_idp_props(entry_path: str, idp: IdentityProviderBase, client: Client, problems: list[Problem]) -> None:
    with reported_at(entry_path, idp.props_keys(client), problems):
        idp.props(client)


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


def config_key(entry_path: str, field: str, keys: Mapping[str, str]) -> str:
    """The key path of the props field `field` of the entry at `entry_path`: its key in `keys` (relative to the
    entry; "/" starts from the top of the file, "" is the entry itself), else the entry's key of its name."""
    key = keys.get(field, field)
    if key.startswith("/"):
        return key[1:]
    return f"{entry_path}.{key}" if key else entry_path

"""Config entries' props, built to apply the constructs' rules with each refusal at its config key (cdktf-free).

Each entry builds the props of its construct (`props` of the models in `identity_providers/` and `clusters/`):
`validate` builds them here to check the config, and the stacks build the very same props to make the
constructs. A rule lives once, in the props; this module only says at which YAML key a refused value was given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from constructs_lib.oidc import OidcClientType, redirect_uris
from constructs_lib.props_error import PropsError
from constructs_lib.workforce.pool_props import check_workforce_provider_id
from constructs_lib.workforce.principals import provider_id_for, signin_callback
from stacks.config.clusters import ClusterConfig
from stacks.config.identity_providers.base import Client, IdentityProviderBase
from stacks.config.messages import without_field_name
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

"""One declaration per option: a config key that is a construct's prop has the prop's default and description,
and reaches the props under its own name."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from constructs_lib.cluster.eks_cluster_props import EksClusterProps
from constructs_lib.cluster.gke_cluster_props import GkeClusterProps, ReleaseChannel
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.oidc import OidcClientType
from stacks.config.clusters import AksClusterConfig, ClusterConfig, EksCreate, GkeCreate
from stacks.config.identity_providers import IdentityProviderConfig, JumpCloudIdp
from stacks.config.identity_providers.base import Client
from stacks.config.options import option, option_values, prop_descriptions
from stacks.config.workforce_pool import WorkforcePool

IDP_MODELS: list[type[Any]] = list(typing.get_args(typing.get_args(IdentityProviderConfig)[0]))
CREATE_MODELS: list[type[Any]] = [
    create
    for cluster in typing.get_args(typing.get_args(ClusterConfig)[0])
    if "create" in cluster.model_fields
    for create in typing.get_args(cluster.model_fields["create"].annotation)
    if create is not type(None)
]
OPTION_MODELS = [*IDP_MODELS, *CREATE_MODELS, WorkforcePool, AksClusterConfig]

CONFIG_ONLY = {
    "type",
    "prefix",
    "client_secret",
    "application",
    "workforce_client_id",
    "certificate_authority_file",
    "identity_providers",
}
"""Config keys that aren't options of the props: the entry's type, the prefix (a prop, but the config's default
`<name>:` is resolved by the config, the props' is required), the refused secret, which stack holds the application
(`application`: a stack's concern, not the construct's), JumpCloud's second client id (the web client's
`client_id`), a CA file (the config reads it; the props take its certificates as `certificate_authority_data`), a
cluster's identity providers."""
REQUIRED_BY_THE_PROPS_CHECKS = {("OidcIdp", "issuer_url")}
"""Options whose props field inherits a default (None) that the props' checks refuse: required in the config."""
FILLED_BY_THE_CONFIG = {
    "name",
    "client_type",
    "redirect_uris",
    "cluster_name",
    "region",
    "project",
    "location",
    "identity_service",
}
"""Props fields the config fills from elsewhere: the client it makes, the entry's key and its other keys."""
NOT_OFFERED = {"display_name", "secrets_encryption_key"}
"""Props the config doesn't offer (library users may set them)."""


def test_every_config_model_with_options_is_covered() -> None:
    assert {model.__name__ for model in OPTION_MODELS} == {
        "OktaIdp",
        "EntraIdIdp",
        "GoogleWorkspaceIdp",
        "JumpCloudIdp",
        "EksCreate",
        "GkeCreate",
        "WorkforcePool",
        "OidcIdp",
        "AksClusterConfig",
    }


@pytest.mark.parametrize("model", OPTION_MODELS, ids=lambda model: model.__name__)
def test_config_options_are_props_fields_with_the_same_default_and_description(model: type[BaseModel]) -> None:
    props = model.PROPS  # type: ignore[attr-defined]
    fields = {field.name: field for field in dataclasses.fields(props)}
    options = set(model.model_fields) & set(fields) - CONFIG_ONLY
    assert set(model.model_fields) - options <= CONFIG_ONLY
    assert set(fields) - options <= FILLED_BY_THE_CONFIG | NOT_OFFERED | CONFIG_ONLY
    for name in sorted(options):
        config, prop = model.model_fields[name], fields[name]
        assert config.description == prop_descriptions(props)[name], name
        if prop.default is dataclasses.MISSING or (model.__name__, name) in REQUIRED_BY_THE_PROPS_CHECKS:
            assert config.is_required(), name
        else:
            default = prop.default
            assert config.get_default() == (list(default) if isinstance(default, tuple) else default), name


def test_the_description_is_the_docstrings_first_paragraph() -> None:
    eks = prop_descriptions(EksClusterProps)
    assert eks["vpc_cidr"] == "The VPC's range, /16 to /24; split into one private subnet per zone."
    assert "synth time" not in eks["vpc_cidr"]  # the library users' paragraph
    okta = prop_descriptions(OktaOidcAppProps)
    assert okta["issuer_url"].startswith("Default: the type's issuer")  # inherited from IdentityProviderProps


def test_a_tuple_default_is_a_list_and_a_required_prop_a_required_key() -> None:
    assert option(GkeClusterProps, "public_access_cidrs").is_required()
    assert option(GkeClusterProps, "release_channel").default is ReleaseChannel.REGULAR

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Props:
        names: tuple[str, ...] = ("a", "b")
        """Names.

        For library users."""

    assert (option(Props, "names").default, option(Props, "names").description) == (["a", "b"], "Names.")


def test_every_option_reaches_the_props_under_its_name() -> None:
    create = GkeCreate(
        subnet_cidr="10.1.0.0/20",
        pods_cidr="10.2.0.0/16",
        services_cidr="10.3.0.0/20",
        master_cidr="172.17.0.0/28",
        public_access_cidrs=["203.0.113.0/24"],
        release_channel=ReleaseChannel.STABLE,
        machine_type="e2-standard-4",
        node_count=2,
    )
    values = option_values(create, GkeClusterProps)
    assert values == {**create.model_dump(), "public_access_cidrs": ("203.0.113.0/24",)}
    eks = EksCreate(kubernetes_version="1.33", availability_zones=["a", "b"], public_access_cidrs=["203.0.113.0/24"])
    assert option_values(eks, EksClusterProps)["availability_zones"] == ("a", "b")


def test_an_idps_options_and_its_client_make_its_props() -> None:
    idp = JumpCloudIdp(type="jumpcloud", client_id="app", workforce_client_id="web", scopes=["openid"])
    client = Client(
        name="prod-jc", prefix="jc:", client_type=OidcClientType.PUBLIC_NATIVE, redirect_uris=("http://localhost:8000",)
    )
    props = idp.props(client)
    assert (props.name, props.prefix, props.client_id, props.scopes) == ("prod-jc", "jc:", "app", ("openid",))
    web = Client(
        name="jc",
        prefix="jc:",
        client_type=OidcClientType.CONFIDENTIAL_WEB,
        redirect_uris=("https://auth.cloud.google/signin-callback/locations/global/workforcePools/p/providers/jc",),
    )
    assert idp.props(web).client_id == "web"
    assert idp.props_keys(web)["client_id"] == "workforce_client_id"
    assert "client_id" not in idp.props_keys(client)

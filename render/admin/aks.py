"""AKS: `admin/<cluster>/README.md`, what the cluster's admins must know and do for the JWT authenticators the
pair stacks create (DESIGN.md contract 5): the preview feature to register, the Kubernetes version floor, that
the nodes must reach each issuer, that every subject carries `aks:jwt:`, that Entra ID users keep AKS's own
sign-in, and the RBAC to apply. The pair stacks configure the cluster itself (Terraform reaches it through
Azure), so this README is all its admins get."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.cluster.aks_jwt_authenticator_props import JWT_AUTHENTICATOR_API_VERSION, jwt_authenticator_name
from render import templating
from render.layout import FILE_NAMES, README, FileKind, admin_file, file
from render.pairs import Pair
from render.tree import File
from stacks.config import AksClusterConfig, Config

README_TEMPLATE = templating.markdown_template("aks-README.md.jinja")
PREVIEW_FEATURE = "JWTAuthenticatorPreview"
"""The subscription feature AKS's JWT authenticators need (`az feature register`)."""
MINIMUM_KUBERNETES = "1.30"
"""The oldest Kubernetes version of an AKS cluster that takes JWT authenticators."""


def admin_files(config: Config, key: str, pairs: Sequence[Pair]) -> dict[str, File]:
    """The README of AKS cluster `key`, for its rendered pairs' authenticators. No secret in it."""
    cluster = config.clusters[key]
    assert isinstance(cluster, AksClusterConfig)  # the builder of AKS clusters
    authenticators = [(pair, jwt_authenticator_name(pair.outputs.identity_provider)) for pair in pairs]
    text = README_TEMPLATE.render(
        cluster_key=key,
        cluster=cluster,
        server=pairs[0].outputs.cluster.server,
        authenticators=authenticators,
        # Constants of this program, which the template may show as they are.
        feature=templating.Markdown(PREVIEW_FEATURE),
        api_version=templating.Markdown(JWT_AUTHENTICATOR_API_VERSION),
        minimum_kubernetes=templating.Markdown(MINIMUM_KUBERNETES),
        config_source=config.source.name,
        names=FILE_NAMES,
    )
    return {admin_file(key, README): file(text, FileKind.DATA)}

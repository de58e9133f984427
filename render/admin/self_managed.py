"""Self-managed Kubernetes: `admin/<cluster>/authentication-config.yaml`, kube-apiserver's
`AuthenticationConfiguration` (`apiserver.config.k8s.io/v1`, Kubernetes 1.34+) with one JWT authenticator
per identity provider of the cluster, and `admin/<cluster>/README.md`, how its admins install it.

Built as data and written by `yaml_text`, never pasted into text. kube-apiserver refuses to start (or,
on a reload, keeps its previous configuration) when the file breaks one of its rules, so what it
would refuse of our values is bad input here, named by stack and output field.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from constructs_lib.outputs import OIDC_CONFIG
from render import templating
from render.layout import AUTHENTICATION_CONFIG, FILE_NAMES, README, FileKind, admin_file, file
from render.pair_outputs import PairOutputs
from render.pairs import Pair
from render.tree import File
from render.yaml_text import dump_yaml
from stacks.config import Config
from stacks.errors import Problem

README_TEMPLATE = templating.markdown_template("authentication-config-README.md.jinja")
API_VERSION = "apiserver.config.k8s.io/v1"
KIND = "AuthenticationConfiguration"

_HEADER = (
    "# kube-apiserver --authentication-config file, rendered by k8s-oidc (`python main.py render`).\n"
    "# Render again rather than edit; README.md beside this file says where it goes.\n"
)


def admin_files(config: Config, key: str, pairs: Sequence[Pair]) -> dict[str, File]:
    """The AuthenticationConfiguration trusting the rendered pairs' IdPs, and the README telling the
    cluster's admins how to install it. Neither holds a secret (kube-apiserver needs none)."""
    text = README_TEMPLATE.render(
        cluster_key=key,
        server=pairs[0].outputs.cluster.server,
        pairs=pairs,
        config_source=config.source.name,
        names=FILE_NAMES,
    )
    return {
        admin_file(key, AUTHENTICATION_CONFIG): file(
            authentication_config_yaml([pair.outputs for pair in pairs]), FileKind.DATA
        ),
        admin_file(key, README): file(text, FileKind.DATA),
    }


def jwt_authenticator(pair: PairOutputs) -> dict[str, Any]:
    """The `jwt` entry of one pair stack: its issuer (with its CA when the IdP has a private one), its client
    id as the only audience, and the claims with the IdP's prefixes (a prefix is required whenever a claim is
    set; no groups mapping when the IdP puts no groups claim in its tokens)."""
    oidc = pair.oidc
    assert oidc is not None  # a self-managed cluster's pairs sign in through kubelogin
    claim_mappings: dict[str, Any] = {"username": {"claim": oidc.user_claim, "prefix": oidc.username_prefix}}
    if oidc.groups_claim is not None:
        claim_mappings["groups"] = {"claim": oidc.groups_claim, "prefix": oidc.groups_prefix}
    issuer: dict[str, Any] = {"url": oidc.issuer_url, "audiences": [oidc.client_id]}
    if oidc.certificate_authority_data is not None:
        # PEM text, which kube-apiserver then trusts alone for this issuer (without it, a private-CA issuer
        # fails every sign-in with "authenticator not initialized").
        issuer["certificateAuthority"] = base64.b64decode(oidc.certificate_authority_data).decode("ascii")
    return {"issuer": issuer, "claimMappings": claim_mappings}


def authentication_config_yaml(pairs: Sequence[PairOutputs]) -> str:
    """The file, with one `jwt` entry per pair stack of the cluster, in the config's order."""
    document = {"apiVersion": API_VERSION, "kind": KIND, "jwt": [jwt_authenticator(pair) for pair in pairs]}
    return _HEADER + dump_yaml(document)


def authentication_config_problems(cluster_key: str, pairs: Sequence[Pair]) -> list[Problem]:
    """What kube-apiserver would refuse in the cluster's file that the outputs could hold: two authenticators
    with one issuer (possible with issuers known only after deploy: two Entra IdPs of one tenant). The
    outputs' checks make every issuer a plain https URL (no credentials, query or fragment) and every
    claim, prefix and client id a string; the config allows at most 64 IdPs per cluster."""
    problems: list[Problem] = []
    first_with_issuer: dict[str, str] = {}
    for pair in (pair.outputs for pair in pairs):
        assert pair.oidc is not None
        issuer = pair.oidc.issuer_url
        where = f"{pair.stack}.{OIDC_CONFIG}.issuer_url"
        if issuer in first_with_issuer:
            problems.append(
                Problem(
                    where,
                    f"the same issuer {issuer!r} as stack {first_with_issuer[issuer]}: kube-apiserver requires "
                    f"unique issuer URLs, so cluster {cluster_key!r} can trust only one of them; drop one IdP "
                    f"from clusters.{cluster_key}.identity_providers",
                )
            )
        first_with_issuer.setdefault(issuer, pair.stack)
    return problems

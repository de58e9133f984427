"""The guides (DESIGN.md contract 5): `DIR/README.md`, which file goes to whom and what to run; each pair
stack's `README.md`, the engineer's guide beside the setup script; and per identity provider
`all-clusters/<idp>.md`, the one page an engineer of that IdP needs (every cluster, what the `access:` rules
grant there, the one command, how the sign-in goes). None names a secret, so anyone may read them (0644).
Each carries the config's `defaults.support` line when it has one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from render import templating
from render.admin import readme_fields
from render.layout import (
    FILE_NAMES,
    README,
    FileKind,
    all_clusters_file,
    all_clusters_page,
    all_clusters_script,
    file,
    stack_file,
)
from render.pairs import Pair, Subjects, has_secret
from render.tree import File
from stacks.config import Config

README_TEMPLATE = templating.markdown_template("README.md.jinja")
STACK_README = templating.markdown_template("stack-README.md.jinja")
ENGINEER_PAGE = templating.markdown_template("all-clusters.md.jinja")
ENGINEER_GUIDE = templating.MarkdownMacros(templating.markdown_template("engineer-guide.md.jinja"))
"""The sections both READMEs show engineers, as macros (`guide=` of their render): made once, where a
template's `{% import %}` would look the file up on every render."""


def stack_readme(pair: Pair, *, support: str | None) -> dict[str, File]:
    """`<stack>/README.md`: the engineer's guide for this cluster; `support`: whom engineers ask."""
    guide = STACK_README.render(pair=pair, names=FILE_NAMES, guide=ENGINEER_GUIDE, support=support)
    return {stack_file(pair.stack, README): file(guide, FileKind.DATA)}


@dataclass(frozen=True)
class Grant:
    """One `access:` rule, on the clusters of an engineer page where it applies."""

    subject_kind: str
    """Group or User."""
    idp_subject: str
    """The group or user as the identity provider names it."""
    cluster_role: str
    namespace: str | None
    """None: every namespace (a ClusterRoleBinding)."""
    contexts: list[str]


@dataclass(frozen=True)
class Application:
    """The one application every kubelogin cluster of a page trusts."""

    issuer: str
    client_id: str


def engineer_pages(config: Config, by_idp: Mapping[str, Sequence[Pair]]) -> dict[str, File]:
    """`all-clusters/<idp>.md` of every rendered identity provider."""
    files: dict[str, File] = {}
    for idp, pairs in by_idp.items():
        kubelogin = [pair for pair in pairs if pair.outputs.oidc is not None]
        subject_groups: dict[Subjects, list[str]] = {}
        for pair in pairs:
            subject_groups.setdefault(pair.subjects, []).append(pair.context)
        text = ENGINEER_PAGE.render(
            guide=ENGINEER_GUIDE,
            identity_provider=idp,
            script=all_clusters_script(idp),
            support=config.defaults.support,
            pairs=pairs,
            kubelogin_contexts=[pair.context for pair in kubelogin],
            application=one_application(kubelogin),
            refresh_tokens=any(pair.refresh_tokens for pair in kubelogin),
            workforce=[pair for pair in pairs if pair.outputs.workforce is not None],
            subject_groups=list(subject_groups.items()),
            grants=grants(config, pairs),
            ungranted=[pair.context for pair in pairs if not pair.bindings],
        )
        files[all_clusters_file(all_clusters_page(idp))] = file(text, FileKind.DATA)
    return files


def one_application(pairs: Sequence[Pair]) -> Application | None:
    """The application every kubelogin pair of `pairs` trusts, when they all trust one: what the outputs say,
    whatever the config (a shared application, or a client made by hand that every cluster trusts), since one
    issuer and client id is one kubelogin token for all."""
    applications = {(pair.outputs.oidc.issuer_url, pair.outputs.oidc.client_id) for pair in pairs if pair.outputs.oidc}
    if len(applications) != 1:
        return None
    ((issuer, client_id),) = applications
    return Application(issuer, client_id)


def sign_in_in_words(pairs: Sequence[Pair]) -> str:
    """How engineers sign in to `pairs` (of one IdP), in plain words for a table cell."""
    kubelogin = [pair for pair in pairs if pair.outputs.oidc is not None]
    ways = []
    if len(kubelogin) == 1:
        ways.append("kubelogin")
    elif kubelogin:
        ways.append("one sign-in for all" if one_application(kubelogin) else "a sign-in per cluster")
    if len(kubelogin) < len(pairs):
        ways.append("gcloud through the workforce pool")
    return " and ".join(ways)


def grants(config: Config, pairs: Sequence[Pair]) -> list[Grant]:
    """The bindings of `pairs`, a grant per rule (subject, role and namespace) with the contexts it binds on,
    in the order of `access:`."""
    contexts: dict[tuple[str, str, str, str | None], list[str]] = {}
    for pair in pairs:
        for binding in pair.bindings:
            key = (binding.subject_kind, binding.idp_subject, binding.cluster_role, binding.namespace)
            contexts.setdefault(key, []).append(pair.context)
    order = {
        (
            "Group" if rule.group is not None else "User",
            rule.group or rule.user,
            rule.cluster_role,
            rule.namespace,
        ): index
        for index, rule in reversed(list(enumerate(config.access)))
    }
    return [Grant(*key, contexts=contexts[key]) for key in sorted(contexts, key=order.__getitem__)]


@dataclass(frozen=True)
class IdentityProviderRow:
    """An identity provider in the top README's table."""

    name: str
    clusters: int
    sign_in: str
    """How its engineers sign in, in plain words."""


def readme(
    config: Config,
    by_cluster: Mapping[str, Sequence[Pair]],
    by_idp: Mapping[str, Sequence[Pair]],
    warnings: Sequence[str],
) -> dict[str, File]:
    """`README.md`: every rendered identity provider and pair as tables, the admins' first steps, and the
    render's warnings."""
    clusters = [
        {"key": key, "cluster": config.clusters[key], **readme_fields(config, key), "pairs": pairs}
        for key, pairs in by_cluster.items()
    ]
    kubelogin_pairs = [pair for pairs in by_cluster.values() for pair in pairs if pair.outputs.oidc is not None]
    logins = [pair.outputs.oidc for pair in kubelogin_pairs if pair.outputs.oidc is not None]
    text = README_TEMPLATE.render(
        guide=ENGINEER_GUIDE,
        config_source=config.source.name,
        clusters=clusters,
        identity_providers=[
            IdentityProviderRow(idp, len({pair.outputs.cluster_key for pair in pairs}), sign_in_in_words(pairs))
            for idp, pairs in by_idp.items()
        ],
        support=config.defaults.support,
        any_secret=any(has_secret(pairs) for pairs in by_cluster.values()),
        warnings=warnings,
        kubelogin_pairs=kubelogin_pairs,
        # Every port any kubelogin pair listens on, in first-seen order: what an SSH forward needs.
        redirect_ports=list(dict.fromkeys(port for oidc in logins for port in oidc.redirect_ports)),
        names=FILE_NAMES,
    )
    return {README: file(text, FileKind.DATA)}

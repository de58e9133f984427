"""The guides (DESIGN.md contract 5): `DIR/README.md`, which file goes to whom and what to run, and each
pair stack's `README.md`, the engineer's guide beside the setup script. Neither names a secret, so anyone
may read them (0644)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from render import templating
from render.admin import readme_fields
from render.layout import FILE_NAMES, README, FileKind, file, stack_file
from render.pairs import Pair, has_secret
from render.tree import File
from stacks.config import Config

README_TEMPLATE = templating.markdown_template("README.md.jinja")
STACK_README = templating.markdown_template("stack-README.md.jinja")
ENGINEER_GUIDE = templating.MarkdownMacros(templating.markdown_template("engineer-guide.md.jinja"))
"""The sections both READMEs show engineers, as macros (`guide=` of their render): made once, where a
template's `{% import %}` would look the file up on every render."""


def stack_readme(pair: Pair) -> dict[str, File]:
    """`<stack>/README.md`: the engineer's guide for this cluster."""
    guide = STACK_README.render(pair=pair, names=FILE_NAMES, guide=ENGINEER_GUIDE)
    return {stack_file(pair.stack, README): file(guide, FileKind.DATA)}


def readme(
    config: Config,
    by_cluster: Mapping[str, Sequence[Pair]],
    identity_providers: Sequence[str],
    warnings: Sequence[str],
) -> dict[str, File]:
    """`README.md`: every rendered cluster and pair, the admins' first steps, and the render's warnings."""
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
        identity_providers=list(identity_providers),
        any_secret=any(has_secret(pairs) for pairs in by_cluster.values()),
        warnings=warnings,
        kubelogin_pairs=kubelogin_pairs,
        # Every port any kubelogin pair listens on, in first-seen order: what an SSH forward needs.
        redirect_ports=list(dict.fromkeys(port for oidc in logins for port in oidc.redirect_ports)),
        names=FILE_NAMES,
    )
    return {README: file(text, FileKind.DATA)}

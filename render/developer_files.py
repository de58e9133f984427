"""The developers' files (DESIGN.md contract 5): per pair stack its setup script, standalone kubeconfig and
RBAC bindings; per identity provider the setup script of every cluster it signs in to.

One template makes every setup script. Which parts it holds follows from how engineers sign in to each
of its clusters (`CLUSTER_KINDS[kind].sign_in`, seen in the pair's outputs): kubelogin entries written
from the render's own YAML, or gcloud signing in through a workforce pool and fetching the credentials.
"""

from __future__ import annotations

from collections.abc import Sequence

from render import templating
from render.kubeconfig import (
    KUBELOGIN_COMMAND,
    KUBELOGIN_INSTALL_HINT,
    OWNERSHIP_PROBE,
    OWNERSHIP_SORTER,
    go_quoted,
    kubeconfig_yaml,
)
from render.layout import (
    DEVELOPER_SCRIPT,
    KUBECONFIG,
    RBAC,
    FileKind,
    all_clusters_file,
    all_clusters_script,
    file,
    stack_file,
)
from render.pairs import Pair, has_secret, login_config_name
from render.tree import File
from render.yaml_text import dump_yaml_documents

SETUP_SCRIPT_TEMPLATE = templating.shell_template("setup-k8s-oidc.sh.jinja")
SETUP_SCRIPT_PARTS = {
    "kubelogin": templating.shell_template("setup-k8s-oidc/kubelogin.sh.jinja"),
    "workforce": templating.shell_template("setup-k8s-oidc/workforce-gcloud.sh.jinja"),
    "kubeconfig": templating.shell_template("setup-k8s-oidc/kubeconfig.sh.jinja"),
}
"""The setup script's parts (`parts=` of its render, `{% include parts.… %}`): installing kubelogin,
signing in through gcloud, and finding, reading, owning and locking the kubeconfig. Passed as loaded
templates, where an include by name would look the file up on every render."""


def stack_files(pair: Pair) -> dict[str, File]:
    """`<stack>/`: the setup script and the standalone kubeconfig, and the RBAC bindings when any apply."""
    title, context = pair.description, pair.context
    script = developer_script([pair], script_name=DEVELOPER_SCRIPT, title=title, default_context=context)
    files = {
        stack_file(pair.stack, DEVELOPER_SCRIPT): file(script, FileKind.SCRIPT, secret=pair.has_secret),
        stack_file(pair.stack, KUBECONFIG): file(
            kubeconfig_yaml(pair.entries, current_context=pair.context), FileKind.DATA, secret=pair.has_secret
        ),
    }
    if pair.bindings:
        files[stack_file(pair.stack, RBAC)] = file(
            dump_yaml_documents(binding.manifest() for binding in pair.bindings), FileKind.DATA
        )
    return files


def all_clusters_scripts(by_idp: dict[str, list[Pair]]) -> dict[str, File]:
    """`all-clusters/<idp>.sh`: one setup script per IdP for all of its clusters."""
    files: dict[str, File] = {}
    for idp, pairs in by_idp.items():
        name = all_clusters_script(idp)
        text = developer_script(pairs, script_name=name, title=f"every cluster that trusts {idp}", default_context=None)
        files[all_clusters_file(name)] = file(text, FileKind.SCRIPT, secret=has_secret(pairs))
    return files


def developer_script(pairs: Sequence[Pair], *, script_name: str, title: str, default_context: str | None) -> str:
    """The setup script of `pairs`, named `script_name` (the file name its usage text gives);
    `default_context`: the context it makes current (a stack's script), None: it leaves the current one."""
    width = max(len(entry.name) for pair in pairs for entry in pair.entries)
    summary = "\n".join(
        f"  {entry.name.ljust(width)}  {pair.description} at {pair.outputs.cluster.server}"
        + (" (device code sign-in)" if entry.device_code else "")
        for pair in pairs
        for entry in pair.entries
    )
    kubelogin = [entry for pair in pairs if pair.outputs.oidc is not None for entry in pair.entries]
    workforce = [pair for pair in pairs if pair.outputs.workforce is not None]
    pools = [pair.outputs.workforce for pair in pairs if pair.outputs.workforce is not None]
    return SETUP_SCRIPT_TEMPLATE.render(
        parts=SETUP_SCRIPT_PARTS,
        script_name=script_name,
        title=title,
        identity_provider=pairs[0].outputs.identity_provider,
        entries_yaml=kubeconfig_yaml(kubelogin, current_context=None) if kubelogin else None,
        install_hint=KUBELOGIN_INSTALL_HINT,
        kubelogin_command=KUBELOGIN_COMMAND,
        probe=OWNERSHIP_PROBE,
        sorter=OWNERSHIP_SORTER,
        kubelogin_names="".join(f"{entry.name}\n" for entry in kubelogin),
        # A workforce context is the script's when its user is gcloud's entry, as the probe prints that name.
        gcloud_contexts="".join(f"{pair.context}\t{go_quoted(pair.gcloud_context)}\n" for pair in workforce),
        quoted_kubelogin_command=go_quoted(KUBELOGIN_COMMAND),
        workforce=workforce,
        # One sign-in per pool provider: an IdP has one provider, whatever its clusters.
        sign_ins=sorted({(pool.pool, pool.provider, login_config_name(pool.pool, pool.provider)) for pool in pools}),
        summary=summary,
        try_context=default_context or pairs[0].context,
        default_context=default_context,
    )

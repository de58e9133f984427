"""Where the render step puts its files (DESIGN.md contract 5, "Output"), and with which modes.

    <stack>/setup-k8s-oidc.sh, kubeconfig.yaml, rbac.yaml, README.md   per pair stack
    all-clusters/<identity provider>.sh, .md                           per IdP: the script and the engineers' page
    admin/<cluster>/…                                                  per cluster whose admins get files
    README.md                                                          which file goes to whom

Modes are exact, whatever the umask (`render.tree`): scripts 0755 and other files 0644, except that a
file holding a client secret is readable by its owner only (0700, 0600).
"""

from __future__ import annotations

import enum

from render.templating import Markdown
from render.tree import File

DEVELOPER_SCRIPT = "setup-k8s-oidc.sh"
KUBECONFIG = "kubeconfig.yaml"
RBAC = "rbac.yaml"
README = "README.md"
ADMIN_SCRIPT = "configure-identity-service.sh"
"""A GKE Identity Service cluster's admin script."""
AUTHENTICATION_CONFIG = "authentication-config.yaml"
"""A self-managed cluster's kube-apiserver `--authentication-config` file."""
ALL_CLUSTERS = "all-clusters"
ADMIN = "admin"


class FileKind(enum.Enum):
    SCRIPT = "script"
    """Run by whoever gets it: executable."""
    DATA = "data"
    """Read (a kubeconfig, YAML to apply, a README)."""


_MODES = {
    (FileKind.SCRIPT, False): 0o755,
    (FileKind.SCRIPT, True): 0o700,
    (FileKind.DATA, False): 0o644,
    (FileKind.DATA, True): 0o600,
}


def mode(kind: FileKind, *, secret: bool) -> int:
    """The permission bits of a file of `kind`; `secret`: it holds a client secret, so only its owner
    may read it."""
    return _MODES[kind, secret]


def file(text: str, kind: FileKind, *, secret: bool = False) -> File:
    return File(text, mode(kind, secret=secret))


def stack_file(stack: str, name: str) -> str:
    """A file of a pair stack's folder."""
    return f"{stack}/{name}"


def all_clusters_script(identity_provider: str) -> str:
    """The file name of an IdP's setup script for every cluster, in `ALL_CLUSTERS`."""
    return f"{identity_provider}.sh"


def all_clusters_page(identity_provider: str) -> str:
    """The file name of an IdP's page for its engineers, in `ALL_CLUSTERS`."""
    return f"{identity_provider}.md"


def all_clusters_file(name: str) -> str:
    return f"{ALL_CLUSTERS}/{name}"


def admin_folder(cluster_key: str) -> str:
    """The folder of a cluster's admin files."""
    return f"{ADMIN}/{cluster_key}"


def admin_file(cluster_key: str, name: str) -> str:
    return f"{admin_folder(cluster_key)}/{name}"


FILE_NAMES = {
    "developer_script": Markdown(DEVELOPER_SCRIPT),
    "kubeconfig": Markdown(KUBECONFIG),
    "rbac": Markdown(RBAC),
    "admin_script": Markdown(ADMIN_SCRIPT),
    "authentication_config": Markdown(AUTHENTICATION_CONFIG),
    "all_clusters": Markdown(ALL_CLUSTERS),
}
"""The rendered files' names, as the README templates name them (`names.…`): constants of this program,
which the templates may show as they are."""

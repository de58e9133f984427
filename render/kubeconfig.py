"""Kubeconfig entries for kubelogin (DESIGN.md contract 5, "Exec credential").

The entries are built as data and written as YAML by `yaml_text`, never pasted into text: every value
reaches kubectl exactly as the stack output holds it. Each entry is emitted once and reused by every
file that holds it (its stack's script and kubeconfig, its IdP's all-clusters script).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from render.inputs import KUBELOGIN_DEFAULT_PORTS, OidcLogin, PairOutputs
from render.yaml_text import dump_yaml, dump_yaml_list

EXEC_API_VERSION = "client.authentication.k8s.io/v1"
GKE_AUTH_PLUGIN: dict[str, object] = {
    "apiVersion": "client.authentication.k8s.io/v1beta1",
    "command": "gke-gcloud-auth-plugin",
    "installHint": "Install gke-gcloud-auth-plugin for use with kubectl by following "
    "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
    "provideClusterInfo": True,
    "interactiveMode": "IfAvailable",
}
"""What `gcloud container clusters get-credentials` writes (the plugin answers in v1beta1): a workforce
pair's standalone kubeconfig uses the identity gcloud signed in with."""


def exec_args(oidc: OidcLogin) -> list[str]:
    """`kubectl oidc-login get-token …` arguments, in the contract's order."""
    args = ["oidc-login", "get-token", f"--oidc-issuer-url={oidc.issuer_url}", f"--oidc-client-id={oidc.client_id}"]
    if oidc.client_secret is not None:
        args.append(f"--oidc-client-secret={oidc.client_secret}")
    args += [f"--oidc-extra-scope={scope}" for scope in oidc.scopes]
    args.append("--oidc-pkce-method=S256")
    if oidc.redirect_ports != KUBELOGIN_DEFAULT_PORTS:
        # The IdP only accepts the registered redirect URIs, and kubelogin redirects to the port it listens on.
        args += [f"--listen-address=127.0.0.1:{port}" for port in oidc.redirect_ports]
    return args


@dataclass(frozen=True)
class KubeconfigEntry:
    """A cluster, a user and a context, all named `name`."""

    name: str
    pair: PairOutputs

    @cached_property
    def cluster_yaml(self) -> str:
        cluster = self.pair.cluster
        return dump_yaml_list(
            [
                {
                    "name": self.name,
                    "cluster": {
                        "server": cluster.server,
                        "certificate-authority-data": cluster.certificate_authority_data,
                    },
                }
            ]
        )

    @cached_property
    def user_yaml(self) -> str:
        exec_credential: dict[str, object]
        if self.pair.oidc is not None:
            exec_credential = {
                "apiVersion": EXEC_API_VERSION,
                "command": "kubectl",
                "args": exec_args(self.pair.oidc),
                # kubectl rejects a v1 exec entry without it (only v1beta1 has a default).
                "interactiveMode": "IfAvailable",
            }
        else:
            exec_credential = dict(GKE_AUTH_PLUGIN)
        return dump_yaml_list([{"name": self.name, "user": {"exec": exec_credential}}])

    @cached_property
    def context_yaml(self) -> str:
        return dump_yaml_list([{"name": self.name, "context": {"cluster": self.name, "user": self.name}}])


def kubeconfig_yaml(entries: Sequence[KubeconfigEntry], *, current_context: str | None) -> str:
    parts = ["apiVersion: v1\nkind: Config\nclusters:\n"]
    parts += [entry.cluster_yaml for entry in entries]
    parts.append("users:\n")
    parts += [entry.user_yaml for entry in entries]
    parts.append("contexts:\n")
    parts += [entry.context_yaml for entry in entries]
    if current_context is not None:
        parts.append(dump_yaml({"current-context": current_context}))
    return "".join(parts)

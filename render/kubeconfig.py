"""Kubeconfig entries for kubelogin (DESIGN.md contract 5, "Exec credential").

The entries are built as data and written as YAML by `yaml_text`, never pasted into text: every value
reaches kubectl exactly as the stack output holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from render.inputs import KUBELOGIN_DEFAULT_PORTS, OidcSettings, PairOutputs
from render.yaml_text import dump_yaml

EXEC_API_VERSION = "client.authentication.k8s.io/v1"


@dataclass(frozen=True)
class KubeconfigEntry:
    """A cluster, a user and a context, all named `name`."""

    name: str
    pair: PairOutputs


def exec_args(oidc: OidcSettings) -> list[str]:
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


def kubeconfig(entries: Sequence[KubeconfigEntry], *, current_context: str | None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": entry.name,
                "cluster": {
                    "server": entry.pair.cluster.server,
                    "certificate-authority-data": entry.pair.cluster.certificate_authority_data,
                },
            }
            for entry in entries
        ],
        "users": [
            {
                "name": entry.name,
                "user": {
                    "exec": {
                        "apiVersion": EXEC_API_VERSION,
                        "command": "kubectl",
                        "args": exec_args(entry.pair.oidc),
                        # kubectl rejects a v1 exec entry without it (only v1beta1 has a default).
                        "interactiveMode": "IfAvailable",
                    }
                },
            }
            for entry in entries
        ],
        "contexts": [{"name": entry.name, "context": {"cluster": entry.name, "user": entry.name}} for entry in entries],
    }
    if current_context is not None:
        config["current-context"] = current_context
    return config


def kubeconfig_yaml(entries: Sequence[KubeconfigEntry], *, current_context: str | None) -> str:
    return dump_yaml(kubeconfig(entries, current_context=current_context))


def current_context_yaml(name: str) -> str:
    """The `current-context:` line a developer script appends to its entries when it switches context."""
    return dump_yaml({"current-context": name})

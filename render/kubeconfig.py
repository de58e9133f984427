"""Kubeconfig entries for kubelogin (DESIGN.md contract 5, "Exec credential"), and the probe the setup
scripts read a kubeconfig's entries with ("Never replaces what it didn't write").

The entries are built as data and written as YAML by `yaml_text`, never pasted into text: every value
reaches kubectl exactly as the stack output holds it. Each entry is emitted once and reused by every
file that holds it (its stack's script and kubeconfig, its IdP's all-clusters script).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS
from render.pair_outputs import OidcLogin, PairOutputs
from render.yaml_text import dump_yaml, dump_yaml_list

KUBELOGIN_DEFAULT_PORTS = DEFAULT_REDIRECT_PORTS
"""kubelogin's default listen ports: the exec args name ports only when the stack registered others."""
EXEC_API_VERSION = "client.authentication.k8s.io/v1"
KUBELOGIN_COMMAND = "kubectl-oidc_login"
"""kubelogin's own binary, never `kubectl oidc-login`: gcloud's kubectl dispatcher (the kubectl most GKE
users have) runs the current context's exec plugin before it runs any command, so an exec entry whose
command is `kubectl` calls itself without end while the plugin is missing."""
KUBELOGIN_INSTALL_HINT = """\
kubelogin (kubectl-oidc_login) signs you in to this cluster, and it is not installed. Install it with one of:
  brew install kubelogin            # macOS, or Linux with Homebrew
  kubectl krew install oidc-login   # with krew: https://krew.sigs.k8s.io/docs/user-guide/setup/install/
or download it from https://github.com/int128/kubelogin/releases and put the binary on your PATH
as kubectl-oidc_login."""
"""What kubectl prints when the exec command is missing (the entry's `installHint`); the setup script
says the same when it cannot install kubelogin itself."""
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


DEVICE_CODE_GRANT = "--grant-type=device-code"
"""kubelogin's device authorization grant (RFC 8628): it prints a URL and a code to enter in any browser."""
OPENID_SCOPE = "openid"
"""kubelogin always asks for it: passed again as an extra scope, the IdP would be asked for it twice."""


def exec_args(oidc: OidcLogin, *, device_code: bool = False) -> list[str]:
    """`kubectl-oidc_login get-token …` arguments, in the contract's order (the issuer's CA only when it is
    private); `device_code`: then the grant type of a headless sign-in (the IdP opted in)."""
    args = ["get-token", f"--oidc-issuer-url={oidc.issuer_url}", f"--oidc-client-id={oidc.client_id}"]
    if oidc.client_secret is not None:
        args.append(f"--oidc-client-secret={oidc.client_secret}")
    args += [f"--oidc-extra-scope={scope}" for scope in oidc.scopes if scope != OPENID_SCOPE]
    if oidc.certificate_authority_data is not None:
        # The issuer's private CA: kubelogin then trusts it alone (not the system's roots) for the IdP.
        args.append(f"--certificate-authority-data={oidc.certificate_authority_data}")
    args.append("--oidc-pkce-method=S256")
    if oidc.redirect_ports != KUBELOGIN_DEFAULT_PORTS:
        # The IdP only accepts the registered redirect URIs, and kubelogin redirects to the port it listens on.
        args += [f"--listen-address=127.0.0.1:{port}" for port in oidc.redirect_ports]
    if device_code:
        args.append(DEVICE_CODE_GRANT)
    return args


@dataclass(frozen=True)
class KubeconfigEntry:
    """A cluster, a user and a context, all named `name`."""

    name: str
    pair: PairOutputs
    device_code: bool = False
    """kubelogin signs in with the device authorization grant instead of a local browser."""

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
                "command": KUBELOGIN_COMMAND,
                "args": exec_args(self.pair.oidc, device_code=self.device_code),
                # kubectl rejects a v1 exec entry without it (only v1beta1 has a default).
                "interactiveMode": "IfAvailable",
                "installHint": KUBELOGIN_INSTALL_HINT,
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


OWNERSHIP_PROBE = (
    '{{range .clusters}}cluster\t{{printf "%q" .name}}\t\n{{end}}'
    '{{range .users}}user\t{{printf "%q" .name}}\t{{with .user.exec}}{{printf "%q" .command}}'
    '{{range $i, $arg := .args}}{{if lt $i 2}}\t{{printf "%q" $arg}}{{end}}{{end}}{{end}}\n{{end}}'
    '{{range .contexts}}context\t{{printf "%q" .name}}\t{{printf "%q" .context.user}}\t'
    '{{with .context.namespace}}{{printf "%x" .}}{{end}}\n{{end}}'
)
"""A `kubectl config view -o go-template` that prints a line per cluster, user and context of a kubeconfig.
Which entries are the setup script's is decided from these lines alone, so no kubeconfig value may
pass for another line or field: every name, command and argument is quoted as Go's `%q` (see
`go_quoted`: no tab, newline or bare quote survives it), and a context's namespace, the one value the
script copies back, is printed as hex (`%x`, two digits per byte), which the script decodes byte for
byte:

    cluster<TAB>"name"<TAB>
    user<TAB>"name"<TAB>"command"<TAB>"arg 1"<TAB>"arg 2"      (the exec entry's, when it has one)
    context<TAB>"name"<TAB>"user"<TAB>6e616d657370616365      (the namespace, when it has one)
"""

OWNERSHIP_SORTER = r"""
$1 == "cluster" { clusters[$2] = 1 }
$1 == "user" && !($2 in users) { users[$2] = 1; command[$2] = $3; first[$2] = $4; second[$2] = $5 }
$1 == "context" && !($2 in contexts) { contexts[$2] = 1; context_user[$2] = $3; namespace[$2] = $4 }
END {
  kubelogin = ENVIRON["K8S_OIDC_KUBELOGIN_COMMAND"]
  count = split(ENVIRON["K8S_OIDC_KUBELOGIN_NAMES"], names, "\n")
  for (i = 1; i <= count; i++) {
    if (names[i] == "") continue
    name = "\"" names[i] "\""
    if (command[name] == kubelogin ||
        (command[name] == "\"kubectl\"" && first[name] == "\"oidc-login\"" && second[name] == "\"get-token\"")) {
      if (namespace[name] != "") print "namespace\tkubelogin\t" names[i] "\t" namespace[name]
      continue
    }
    if (name in clusters) print "theirs\tcluster " names[i]
    if (name in users) print "theirs\tuser " names[i]
    if (name in contexts) print "theirs\tcontext " names[i]
  }
  count = split(ENVIRON["K8S_OIDC_GCLOUD_CONTEXTS"], lines, "\n")
  for (i = 1; i <= count; i++) {
    if (split(lines[i], pair, "\t") != 2) continue
    name = "\"" pair[1] "\""
    gcloud = pair[2]
    if ((name in contexts) && context_user[name] == gcloud && command[gcloud] == "\"gke-gcloud-auth-plugin\"") {
      if (namespace[name] != "") print "namespace\tgcloud\t" pair[1] "\t" namespace[name]
    } else if (name in contexts) print "theirs\tcontext " pair[1]
  }
}
"""
"""The awk program that sorts the probe's lines (stdin, fields split at tabs) in one pass: which of the setup
script's names are its own, which are someone else's. From its environment it takes the script's kubelogin
entry names (`K8S_OIDC_KUBELOGIN_NAMES`, a line each), its workforce contexts with gcloud's user for each
(`K8S_OIDC_GCLOUD_CONTEXTS`, `<context><TAB><gcloud's name, Go-quoted>` a line each) and kubelogin's command
as the probe prints it (`K8S_OIDC_KUBELOGIN_COMMAND`, Go-quoted). A kubelogin name is the script's when its user
entry is a kubelogin exec entry (this render's command, or `kubectl oidc-login get-token …` of earlier
renders); a workforce context when its user is gcloud's entry for the cluster. Each field is compared whole
(the names are config keys and stack names, just in double quotes there), so no value can pass for another
(see `OWNERSHIP_PROBE`). It prints, names in the script's order:

    namespace<TAB>kubelogin|gcloud<TAB>name<TAB>hex     one of the script's contexts that has a namespace
    theirs<TAB>cluster|user|context name               an entry of the script's name that it did not write

One pass, where a check of each name against the whole probe took time growing with the square of the
contexts (an all-clusters script of 300 contexts spent seconds there)."""

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quoted(value: str) -> str:
    """`value` as the probe prints it, Go's `%q` (strconv.Quote): the setup script looks for exact lines."""
    quoted = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            quoted.append("\\" + char)
        elif char in _GO_ESCAPES:
            quoted.append(_GO_ESCAPES[char])
        elif char.isprintable():
            quoted.append(char)
        elif code < 0x20 or code == 0x7F:
            quoted.append(f"\\x{code:02x}")
        elif code < 0x10000:
            quoted.append(f"\\u{code:04x}")
        else:
            quoted.append(f"\\U{code:08x}")
    return '"' + "".join(quoted) + '"'

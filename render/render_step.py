"""`python main.py render`: stack outputs → the files of DESIGN.md contract 5, written all or nothing."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib.oidc import OFFLINE_ACCESS_SCOPE
from constructs_lib.workforce.principals import group_principal_set, user_principal
from render import templates
from render.authentication_config import authentication_config_problems, authentication_config_yaml
from render.gke import client_config_patch, envoy_service_patch, patch_json
from render.inputs import PairOutputs, read_inputs
from render.kubeconfig import KUBELOGIN_INSTALL_HINT, OWNERSHIP_PROBE, KubeconfigEntry, go_quoted, kubeconfig_yaml
from render.rbac import Binding, bindings
from render.templates import Markdown
from render.tree import File, check_out_dir, write_tree
from render.yaml_text import dump_yaml_documents
from stacks.config import Config, GkeClusterConfig, KubernetesClusterConfig
from stacks.errors import Problem, UserError

DEVELOPER_SCRIPT = "setup-k8s-oidc.sh"
KUBECONFIG = "kubeconfig.yaml"
RBAC = "rbac.yaml"
ADMIN_SCRIPT = "configure-identity-service.sh"
AUTHENTICATION_CONFIG = "authentication-config.yaml"
ALL_CLUSTERS = "all-clusters"
README = "README.md"
DEVICE_SUFFIX = "-device"
"""A headless sign-in's context (and its cluster and user) is the pair's context name with this suffix."""
_FILE_NAMES = {
    "developer_script": Markdown(DEVELOPER_SCRIPT),
    "kubeconfig": Markdown(KUBECONFIG),
    "rbac": Markdown(RBAC),
    "admin_script": Markdown(ADMIN_SCRIPT),
    "authentication_config": Markdown(AUTHENTICATION_CONFIG),
    "all_clusters": Markdown(ALL_CLUSTERS),
}
"""The rendered files' names, as the README templates name them: constants of this module, which the
templates may show as they are."""

# Workforce pool and provider ids as Google allows them (6–63 and 4–32 characters of these).
_WORKFORCE_ID = re.compile(r"[a-z0-9-]{1,63}")

# Files that embed a client secret are readable by their owner only.
_SCRIPT, _SECRET_SCRIPT, _DATA, _SECRET_DATA = 0o755, 0o700, 0o644, 0o600

Log = Callable[[str], None]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass
class RenderSummary:
    stacks: int = 0
    files: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Subjects:
    """How the cluster names the IdP's users and groups: a prefix, then the claim's value."""

    user_prefix: str
    user_claim: str
    group_prefix: str
    groups_claim: str | None


@dataclass(frozen=True)
class _Pair:
    """A pair stack with everything the templates show about it."""

    outputs: PairOutputs
    context: str
    entry: KubeconfigEntry
    subjects: _Subjects
    bindings: list[Binding]
    device_entry: KubeconfigEntry | None = None
    """`<context>-device`, signing in with a device code: only where the IdP opts in (`device_code`)."""
    server_file: Path | None = None
    """The `--client-config` file the server and CA come from; None: from the `cluster` output."""

    @property
    def entries(self) -> list[KubeconfigEntry]:
        return [self.entry] if self.device_entry is None else [self.entry, self.device_entry]

    @property
    def stack(self) -> str:
        return self.outputs.stack

    @property
    def has_secret(self) -> bool:
        return self.outputs.oidc is not None and self.outputs.oidc.client_secret is not None

    @property
    def kind(self) -> str:
        """What the cluster is, in words: `EKS`, `GKE`, `AKS`, or `self-managed Kubernetes`."""
        cluster = self.outputs.cluster
        return "self-managed Kubernetes" if cluster.region_or_location is None else cluster.type.upper()

    @property
    def description(self) -> str:
        cluster = self.outputs.cluster
        where = "" if cluster.region_or_location is None else f" ({cluster.region_or_location})"
        return f"{self.kind} cluster {cluster.name}{where}"

    @property
    def refresh_tokens(self) -> bool:
        """Whether kubelogin gets a refresh token: the stack asks for `offline_access` (`refresh_tokens`)."""
        return self.outputs.oidc is not None and OFFLINE_ACCESS_SCOPE in self.outputs.oidc.scopes

    @property
    def gcloud_context(self) -> str:
        """The context name `gcloud container clusters get-credentials` gives a workforce cluster."""
        workforce = self.outputs.workforce
        assert workforce is not None
        return f"gke_{workforce.project}_{workforce.location}_{workforce.cluster_name}"

    @property
    def login_config(self) -> str:
        workforce = self.outputs.workforce
        assert workforce is not None
        return login_config_name(workforce.pool, workforce.provider)


def login_config_name(pool: str, provider: str) -> str:
    """The file name of a provider's gcloud login config, which the developer script keeps in the user's
    gcloud config folder. Ids as the stacks make them name it readably; any other output value (a `/`,
    `..`, a newline, too long a name) would make a path outside that folder or none at all, so it is
    named by a hash of the values instead."""
    if _WORKFORCE_ID.fullmatch(pool) and _WORKFORCE_ID.fullmatch(provider):
        return f"login-config-{pool}-{provider}.json"
    digest = hashlib.sha256(f"{pool}\0{provider}".encode()).hexdigest()[:16]
    return f"login-config-{digest}.json"


def render(
    config: Config,
    *,
    outputs: Path | str,
    client_configs: Mapping[str, Path],
    out_dir: Path,
    stacks: Collection[str] | None = None,
    fetch_outputs: Callable[[], dict[str, Any]] | None = None,
    log: Log = _stderr,
) -> RenderSummary:
    """Check every input, render every file in memory, then replace `out_dir` with them in one swap.

    `stacks`: render only these pair stacks (`--stacks`); default: every one of the config.
    `fetch_outputs`: where the outputs come from instead of the file or folder `outputs` (Terraform
    Cloud), called once `out_dir` is known to be replaceable; `outputs` then names that source."""
    # Resolved: `.` has no name to put a temporary folder beside, and a symlinked --out is replaced
    # where it points, the link kept.
    out_dir = out_dir.resolve()
    check_out_dir(out_dir)
    raw_outputs = fetch_outputs() if fetch_outputs is not None else None
    inputs = read_inputs(config, outputs, client_configs, raw_outputs=raw_outputs, stacks=stacks)
    summary = RenderSummary(warnings=list(inputs.warnings))
    for warning in inputs.warnings:
        log(f"warning: {warning}")

    pairs = [_pair(config, outputs, client_configs.get(outputs.cluster_key)) for outputs in inputs.pairs]
    # In config order: clusters and IdPs as declared.
    by_cluster: dict[str, list[_Pair]] = {key: [] for key in config.clusters}
    by_idp: dict[str, list[_Pair]] = {idp: [] for idp in config.identity_providers}
    for pair in pairs:
        by_cluster[pair.outputs.cluster_key].append(pair)
        by_idp[pair.outputs.identity_provider].append(pair)
    # Only what has pairs to render: with --stacks, other clusters and IdPs are left out entirely.
    by_cluster = {key: of_cluster for key, of_cluster in by_cluster.items() if of_cluster}
    by_idp = {idp: of_idp for idp, of_idp in by_idp.items() if of_idp}
    for warning in _partial_admin_warnings(config, by_cluster):
        summary.warnings.append(warning)
        log(f"warning: {warning}")
    problems = [
        problem
        for key, of_cluster in by_cluster.items()
        if isinstance(config.clusters[key], KubernetesClusterConfig)
        for problem in authentication_config_problems(key, [pair.outputs for pair in of_cluster])
    ]
    if problems:
        raise UserError(str(outputs), problems)

    files: dict[str, File] = {}
    for pair in pairs:
        stack_files = _stack_files(pair)
        files |= stack_files
        summary.stacks += 1
        log(f"rendered {pair.stack}: {', '.join(path.rsplit('/', 1)[-1] for path in stack_files)}")
    files |= _all_clusters_scripts(by_idp)
    files |= _admin_scripts(config, by_cluster)
    files |= _authentication_configs(config, by_cluster)
    files[README] = File(_readme(config, by_cluster, by_idp, summary.warnings), _DATA)
    try:
        write_tree(out_dir, files)
    except OSError as error:
        raise UserError(str(out_dir), [Problem("--out", f"cannot write the render: {error}")]) from None
    summary.files = len(files)
    log(
        f"wrote {summary.files} files for {summary.stacks} stacks into {out_dir} "
        f"({_count(len(summary.warnings), 'warning')})"
    )
    return summary


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _pair(config: Config, outputs: PairOutputs, client_config: Path | None) -> _Pair:
    """`outputs` as the templates show them; `client_config`: the file their server and CA come from."""
    idp = outputs.identity_provider
    one_idp = len(config.clusters[outputs.cluster_key].identity_providers) == 1
    context = outputs.cluster_key if one_idp else outputs.stack
    if outputs.oidc is not None:
        oidc = outputs.oidc
        subjects = _Subjects(oidc.username_prefix, oidc.user_claim, oidc.groups_prefix, oidc.groups_claim)
    else:
        assert outputs.workforce is not None  # a pair has one or the other
        # The pool maps google.subject and google.groups from the IdP's claims, as the config sets them.
        pool = outputs.workforce.pool
        subjects = _Subjects(
            user_principal(pool, ""), config.user_claim(idp), group_principal_set(pool, ""), config.groups_claim(idp)
        )
    # The opt-in is the config's: the oidc_config output contract has no field for it (DESIGN.md).
    device_code = outputs.oidc is not None and config.identity_providers[idp].device_code
    return _Pair(
        outputs=outputs,
        context=context,
        entry=KubeconfigEntry(context, outputs),
        device_entry=KubeconfigEntry(f"{context}{DEVICE_SUFFIX}", outputs, device_code=True) if device_code else None,
        subjects=subjects,
        server_file=client_config,
        bindings=bindings(
            idp,
            config.access_rules_for(outputs.cluster_key, idp),
            stack=outputs.stack,
            user_prefix=subjects.user_prefix,
            group_prefix=subjects.group_prefix,
        ),
    )


def _stack_files(pair: _Pair) -> dict[str, File]:
    files = {
        f"{pair.stack}/{DEVELOPER_SCRIPT}": File(
            _developer_script(
                [pair], script_name=DEVELOPER_SCRIPT, title=pair.description, default_context=pair.context
            ),
            _SECRET_SCRIPT if pair.has_secret else _SCRIPT,
        ),
        f"{pair.stack}/{KUBECONFIG}": File(
            kubeconfig_yaml(pair.entries, current_context=pair.context), _SECRET_DATA if pair.has_secret else _DATA
        ),
    }
    if pair.bindings:
        files[f"{pair.stack}/{RBAC}"] = File(dump_yaml_documents(b.manifest() for b in pair.bindings), _DATA)
    # The engineer's guide beside the script; it names no secret, so anyone may read it.
    guide = templates.STACK_README.render(pair=pair, names=_FILE_NAMES, guide=templates.ENGINEER_GUIDE)
    files[f"{pair.stack}/{README}"] = File(guide, _DATA)
    return files


def _developer_script(pairs: list[_Pair], *, script_name: str, title: str, default_context: str | None) -> str:
    """The setup script of `pairs`, named `script_name` (the file name its usage text gives)."""
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
    return templates.DEVELOPER_SCRIPT.render(
        script_name=script_name,
        title=title,
        identity_provider=pairs[0].outputs.identity_provider,
        entries_yaml=kubeconfig_yaml(kubelogin, current_context=None) if kubelogin else None,
        install_hint=KUBELOGIN_INSTALL_HINT,
        kubelogin_names=[entry.name for entry in kubelogin],
        probe=OWNERSHIP_PROBE,
        # A workforce context is the script's when its user is gcloud's entry, as the probe prints that name.
        gcloud_contexts=[(pair.context, go_quoted(pair.gcloud_context)) for pair in workforce],
        workforce=workforce,
        # One sign-in per pool provider: an IdP has one provider, whatever its clusters.
        sign_ins=sorted({(pool.pool, pool.provider, login_config_name(pool.pool, pool.provider)) for pool in pools}),
        summary=summary,
        try_context=default_context or pairs[0].context,
        default_context=default_context,
    )


def _all_clusters_scripts(by_idp: dict[str, list[_Pair]]) -> dict[str, File]:
    files: dict[str, File] = {}
    for idp, pairs in by_idp.items():
        name = f"{idp}.sh"
        text = _developer_script(
            pairs, script_name=name, title=f"every cluster that trusts {idp}", default_context=None
        )
        files[f"{ALL_CLUSTERS}/{name}"] = File(
            text, _SECRET_SCRIPT if any(pair.has_secret for pair in pairs) else _SCRIPT
        )
    return files


def _partial_admin_warnings(config: Config, by_cluster: dict[str, list[_Pair]]) -> list[str]:
    """A GKE admin script patches the ClientConfig's whole list of IdPs, and a self-managed cluster's
    AuthenticationConfiguration replaces kube-apiserver's: rendered from some of a cluster's pairs only
    (--stacks), applying it removes the others from the cluster."""
    warnings: list[str] = []
    for key, pairs in by_cluster.items():
        cluster = config.clusters[key]
        if isinstance(cluster, KubernetesClusterConfig):
            admin_file, replaced = AUTHENTICATION_CONFIG, "its kube-apiserver's JWT authenticators"
        elif isinstance(cluster, GkeClusterConfig) and not config.is_workforce_cluster(key):
            admin_file, replaced = ADMIN_SCRIPT, "its ClientConfig"
        else:
            continue
        rendered = [pair.outputs.identity_provider for pair in pairs]
        if len(rendered) < len(cluster.identity_providers):
            warnings.append(
                f"{key}: admin/{key}/{admin_file} configures {', '.join(rendered)} only, of the cluster's IdPs "
                f"{', '.join(cluster.identity_providers)}: applying it removes the others from {replaced}; "
                f"once they are deployed, render them all (--stacks '{key}-*') before applying it"
            )
    return warnings


def _admin_scripts(config: Config, by_cluster: dict[str, list[_Pair]]) -> dict[str, File]:
    files: dict[str, File] = {}
    for key, pairs in by_cluster.items():
        cluster = config.clusters[key]
        if not isinstance(cluster, GkeClusterConfig) or config.is_workforce_cluster(key):
            continue
        identity_providers = [
            (pair.outputs.identity_provider, pair.outputs.oidc) for pair in pairs if pair.outputs.oidc is not None
        ]
        source_ranges = cluster.identity_service_source_ranges
        text = templates.ADMIN_SCRIPT.render(
            cluster_key=key,
            cluster_name=cluster.cluster_name or key,
            project=cluster.project,
            location=cluster.location,
            identity_providers=", ".join(name for name, _ in identity_providers),
            source_ranges=" ".join(source_ranges) if source_ranges else None,
            service_patch=patch_json(envoy_service_patch(source_ranges)),
            client_config_patch=patch_json(client_config_patch(identity_providers)),
        )
        has_secret = any(pair.has_secret for pair in pairs)
        files[f"admin/{key}/{ADMIN_SCRIPT}"] = File(text, _SECRET_SCRIPT if has_secret else _SCRIPT)
    return files


def _authentication_configs(config: Config, by_cluster: dict[str, list[_Pair]]) -> dict[str, File]:
    """Per self-managed cluster: the kube-apiserver AuthenticationConfiguration trusting all of its
    IdPs, and the README telling its admins how to install it."""
    files: dict[str, File] = {}
    for key, pairs in by_cluster.items():
        if not isinstance(config.clusters[key], KubernetesClusterConfig) or not pairs:
            continue
        outputs = [pair.outputs for pair in pairs]
        files[f"admin/{key}/{AUTHENTICATION_CONFIG}"] = File(authentication_config_yaml(outputs), _DATA)
        text = templates.AUTHENTICATION_CONFIG_README.render(
            cluster_key=key,
            server=pairs[0].outputs.cluster.server,
            pairs=pairs,
            config_source=config.source.name,
            names=_FILE_NAMES,
        )
        files[f"admin/{key}/{README}"] = File(text, _DATA)
    return files


def _readme(
    config: Config, by_cluster: dict[str, list[_Pair]], by_idp: dict[str, list[_Pair]], warnings: list[str]
) -> str:
    clusters = [
        {
            "key": key,
            "cluster": config.clusters[key],
            "admin_script": f"admin/{key}/{ADMIN_SCRIPT}"
            if isinstance(config.clusters[key], GkeClusterConfig) and not config.is_workforce_cluster(key)
            else None,
            "admin_folder": f"admin/{key}"
            if isinstance(config.clusters[key], KubernetesClusterConfig) and pairs
            else None,
            "pairs": pairs,
        }
        for key, pairs in by_cluster.items()
    ]
    kubelogin_pairs = [pair for pairs in by_cluster.values() for pair in pairs if pair.outputs.oidc is not None]
    logins = [pair.outputs.oidc for pair in kubelogin_pairs if pair.outputs.oidc is not None]
    return templates.README.render(
        guide=templates.ENGINEER_GUIDE,
        config_source=config.source.name,
        clusters=clusters,
        identity_providers=list(by_idp),
        any_secret=any(pair.has_secret for pairs in by_cluster.values() for pair in pairs),
        warnings=warnings,
        kubelogin_pairs=kubelogin_pairs,
        # Every port any kubelogin pair listens on, in first-seen order: what an SSH forward needs.
        redirect_ports=list(dict.fromkeys(port for oidc in logins for port in oidc.redirect_ports)),
        names=_FILE_NAMES,
    )

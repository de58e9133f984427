"""The developer script and kubeconfig with real bash and the real kubectl against a local HTTPS server.

kubelogin is a stand-in on PATH (`kubectl-oidc_login`) that records its arguments and returns a
token; the server accepts only that token, so a successful `kubectl get --raw /version` proves the
whole chain: kubeconfig entries → exec credential → kubelogin arguments → bearer token → CA trust.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from render_support import (
    GOOGLE_SCOPES,
    OKTA_SCOPES,
    ApiServer,
    BoundedRun,
    Pki,
    Tools,
    cluster_output,
    kubeconfig_view,
    kubectl,
    named,
    oidc_config,
    run_render,
    run_script,
    token_for,
    write_executable,
    write_json,
)

CONFIG = """\
version: 1
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
  gws: {type: google_workspace, prefix: "gws:", client_id: 1234-abc.apps.googleusercontent.com}
clusters:
  alpha: {type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}
  beta: {type: gke, project: acme-beta, location: us-west1, cluster_name: beta, identity_providers: [okta-main, gws]}
access:
  - {identity_provider: okta-main, group: k8s-admins, cluster_role: cluster-admin}
"""
ISSUER = "https://acme.okta.com/oauth2/aus1a2b3c4"
SECRET = "GOCSPX-s3cret"

UNRELATED = """\
apiVersion: v1
kind: Config
clusters:
- name: other
  cluster:
    server: https://other.invalid:6443
    insecure-skip-tls-verify: true
users:
- name: other
  user:
    token: other-token
contexts:
- name: other
  context:
    cluster: other
    user: other
    namespace: team-x
current-context: other
preferences: {}
"""
"""A developer's kubeconfig with an unrelated context."""

OWN_ALPHA = """\
apiVersion: v1
kind: Config
clusters:
- name: alpha
  cluster:
    server: https://alpha.own.invalid:6443
    insecure-skip-tls-verify: true
- name: other
  cluster:
    server: https://other.invalid:6443
users:
- name: alpha
  user:
    token: engineers-own-token
- name: other
  user:
    token: other-token
contexts:
- name: alpha
  context:
    cluster: alpha
    user: alpha
    namespace: own-namespace
- name: other
  context:
    cluster: other
    user: other
current-context: other
"""
"""An engineer's own `alpha` (own server, static token, namespace): the script's context name, not its entries."""

EARLIER_RENDER = """\
apiVersion: v1
kind: Config
clusters:
- name: alpha
  cluster:
    server: https://alpha.before-redeploy.invalid
    insecure-skip-tls-verify: true
users:
- name: alpha
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: kubectl
      args: [oidc-login, get-token, --oidc-issuer-url=https://old.example, --oidc-client-id=old]
      interactiveMode: IfAvailable
contexts:
- name: alpha
  context:
    cluster: alpha
    user: alpha
    namespace: team-a
current-context: alpha
"""
"""`alpha` as an earlier render wrote it (`kubectl oidc-login`), the engineer's namespace set on it."""


@dataclass(frozen=True)
class Rendered:
    out: Path
    client_ids: dict[str, str]
    """Stack → client id."""

    def script(self, stack: str) -> Path:
        return self.out / stack / "setup-k8s-oidc.sh"

    def expected_args(self, stack: str) -> list[str]:
        """The exec args contract 5 prescribes for the stack."""
        secret = [f"--oidc-client-secret={SECRET}"] if stack == "beta-gws" else []
        scopes = GOOGLE_SCOPES if stack == "beta-gws" else OKTA_SCOPES
        issuer = "https://accounts.google.com" if stack == "beta-gws" else ISSUER
        return [
            "get-token",
            f"--oidc-issuer-url={issuer}",
            f"--oidc-client-id={self.client_ids[stack]}",
            *secret,
            # kubelogin asks for openid itself (contract 5, round 3).
            *[f"--oidc-extra-scope={scope}" for scope in scopes if scope != "openid"],
            "--oidc-pkce-method=S256",
        ]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("developer")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    client_ids = {"alpha-okta-main": "0oa-alpha", "beta-okta-main": "0oa-beta", "beta-gws": "1234-abc"}
    outputs: dict[str, Any] = {}
    for stack, client_id in client_ids.items():
        cluster_key = stack.split("-", 1)[0]
        gws = stack == "beta-gws"
        outputs[stack] = {
            "oidc_config": oidc_config(
                client_id=client_id,
                issuer_url="https://accounts.google.com" if gws else ISSUER,
                prefix="gws:" if gws else "okta:",
                scopes=GOOGLE_SCOPES if gws else OKTA_SCOPES,
                requires_client_secret=gws,
                groups_claim=None if gws else "groups",
            ),
            "cluster": cluster_output(
                name=cluster_key.capitalize() if cluster_key == "alpha" else cluster_key,
                type="eks" if cluster_key == "alpha" else "gke",
                location="us-west-2" if cluster_key == "alpha" else "us-west1",
                endpoint=f"{server.url}/{cluster_key}",
                ca_data=pki.ca_data,
            ),
        }
        if gws:
            outputs[stack]["oidc_client_secret"] = SECRET
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return Rendered(folder / "out", client_ids)


@pytest.fixture
def accepts(api: ApiServer, rendered: Rendered) -> ApiServer:
    """The server accepts each stack's token at its cluster's path."""
    for stack, client_id in rendered.client_ids.items():
        api.tokens.setdefault(f"/{stack.split('-', 1)[0]}", set()).add(token_for(client_id))
    return api


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def assert_install_hint(text: str) -> None:
    """The three ways to install kubelogin, as the exec entry's installHint and the script name them."""
    assert "brew install kubelogin" in text
    assert "kubectl krew install oidc-login" in text
    assert "https://github.com/int128/kubelogin/releases" in text
    assert "kubectl-oidc_login" in text


def reaches_server(context: str, env: dict[str, str]) -> dict[str, Any]:
    """The server version through `context` (kubectl asks `<server path>/version`, authenticated)."""
    result = kubectl("--context", context, "version", "-o", "json", env=env)
    assert result.returncode == 0, result.stderr
    version: dict[str, Any] = json.loads(result.stdout)["serverVersion"]
    return version


def test_script_adds_a_working_context_and_leaves_everything_else(
    rendered: Rendered, accepts: ApiServer, pki: Pki, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(UNRELATED, encoding="utf-8")
    env = tools.env(home, kubeconfig)
    before = kubeconfig_view(env)

    result = run_script(rendered.script("alpha-okta-main"), env=env)
    assert result.returncode == 0, result.stderr
    # Setting up signs nobody in (gcloud's kubectl dispatcher would, were the new context current too early).
    assert tools.record_of("kubelogin") == []
    assert accepts.requests == []
    assert reaches_server("alpha", env)["gitVersion"] == "v1.32.0-k8s-oidc-test"
    assert tools.record_of("kubelogin")[-1] == rendered.expected_args("alpha-okta-main")
    assert accepts.requests[-1].authorization == f"Bearer {token_for('0oa-alpha')}"

    after = kubeconfig_view(env)
    assert after["current-context"] == "alpha"
    for section in ("clusters", "users", "contexts"):
        assert named(after[section], "other") == named(before[section], "other")
        assert [entry["name"] for entry in after[section]] == ["alpha", "other"]
    assert named(after["clusters"], "alpha")["cluster"] == {
        "server": f"{accepts.url}/alpha",
        "certificate-authority-data": pki.ca_data,
    }
    assert named(after["contexts"], "alpha")["context"] == {"cluster": "alpha", "user": "alpha"}
    exec_entry = named(after["users"], "alpha")["user"]["exec"]
    assert exec_entry["apiVersion"] == "client.authentication.k8s.io/v1"
    assert exec_entry["command"] == "kubectl-oidc_login"
    assert exec_entry["interactiveMode"] == "IfAvailable"
    assert_install_hint(exec_entry["installHint"])
    assert after["preferences"] == before["preferences"]

    first = kubeconfig.read_bytes()
    signed_in = len(tools.record_of("kubelogin"))
    again = run_script(rendered.script("alpha-okta-main"), env=env)
    assert again.returncode == 0, again.stderr
    assert kubeconfig.read_bytes() == first
    # Its own context is current now: gcloud's kubectl dispatcher would sign in to it, were the script's
    # kubectl calls not kept away from every context.
    assert len(tools.record_of("kubelogin")) == signed_in
    assert sorted(path.name for path in kubeconfig.parent.iterdir()) == sorted(["kubeconfig", "home", "tools"]), (
        "the script's temporary files are gone"
    )


def test_client_secret_goes_to_kubelogin(rendered: Rendered, accepts: ApiServer, tools: Tools, home: Path) -> None:
    tools.add_kubelogin()
    env = tools.env(home, home / ".kube" / "config")
    result = run_script(rendered.script("beta-gws"), env=env)
    assert result.returncode == 0, result.stderr
    reaches_server("beta-gws", env)  # beta has two IdPs: the context is the stack's name
    assert tools.record_of("kubelogin")[-1] == rendered.expected_args("beta-gws")
    assert oct((rendered.script("beta-gws")).stat().st_mode & 0o777) == oct(0o700)


def test_standalone_kubeconfig(rendered: Rendered, accepts: ApiServer, tools: Tools, home: Path) -> None:
    tools.add_kubelogin()
    standalone = rendered.out / "beta-okta-main" / "kubeconfig.yaml"
    env = tools.env(home, standalone)
    assert kubectl("config", "current-context", env=env).stdout.strip() == "beta-okta-main"
    result = kubectl("version", "-o", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["serverVersion"]["gitVersion"] == "v1.32.0-k8s-oidc-test"
    assert tools.record_of("kubelogin")[-1] == rendered.expected_args("beta-okta-main")


def test_all_clusters_script_sets_up_every_cluster_of_its_idp(
    rendered: Rendered, accepts: ApiServer, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(UNRELATED, encoding="utf-8")
    env = tools.env(home, kubeconfig)
    result = run_script(rendered.out / "all-clusters" / "okta-main.sh", env=env)
    assert result.returncode == 0, result.stderr
    reaches_server("alpha", env)
    reaches_server("beta-okta-main", env)
    recorded = tools.record_of("kubelogin")
    assert recorded == [rendered.expected_args("alpha-okta-main"), rendered.expected_args("beta-okta-main")]
    view = kubeconfig_view(env)
    assert view["current-context"] == "other"
    assert [context["name"] for context in view["contexts"]] == ["alpha", "beta-okta-main", "other"]
    assert "beta-gws" not in (rendered.out / "all-clusters" / "okta-main.sh").read_text(encoding="utf-8")


def test_no_use_context_keeps_the_current_context(
    rendered: Rendered, accepts: ApiServer, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(UNRELATED, encoding="utf-8")
    env = tools.env(home, kubeconfig)
    result = run_script(rendered.script("alpha-okta-main"), "--no-use-context", env=env)
    assert result.returncode == 0, result.stderr
    assert kubeconfig_view(env)["current-context"] == "other"
    reaches_server("alpha", env)


def test_dry_run_changes_nothing(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(UNRELATED, encoding="utf-8")
    before = kubeconfig.read_bytes()
    env = tools.env(home, f"{kubeconfig}:{tmp_path / 'missing'}")
    placeholder = home / "K8S_OIDC_TMP"  # the name the dry run prints for its temporary folder
    placeholder.mkdir()
    result = run_script(rendered.script("alpha-okta-main"), "--dry-run", env=env, cwd=home)
    assert result.returncode == 0, result.stderr
    assert kubeconfig.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "kubeconfig", "tools"]
    assert placeholder.is_dir()
    assert f"KUBECONFIG lists several files: the entries go into {kubeconfig}" in result.stdout
    assert result.stdout.endswith(
        f"  KUBECONFIG=K8S_OIDC_TMP/entries:{kubeconfig} kubectl --context=k8s-oidc-no-context config view --raw"
        " > K8S_OIDC_TMP/merged\n"
        "  KUBECONFIG=K8S_OIDC_TMP/merged kubectl --context=k8s-oidc-no-context config use-context alpha > /dev/null\n"
        f"  mv -f K8S_OIDC_TMP/merged {kubeconfig}\n"
    )


def test_a_missing_kubeconfig_is_created(rendered: Rendered, accepts: ApiServer, tools: Tools, home: Path) -> None:
    tools.add_kubelogin()
    env = tools.env(home, None)  # no $KUBECONFIG: ~/.kube/config, which does not exist yet
    result = run_script(rendered.script("alpha-okta-main"), env=env)
    assert result.returncode == 0, result.stderr
    assert (home / ".kube" / "config").is_file()
    assert oct((home / ".kube" / "config").stat().st_mode & 0o777) == oct(0o600)
    assert kubeconfig_view(env)["current-context"] == "alpha"
    reaches_server("alpha", env)


@pytest.mark.parametrize(
    ("existing", "written"),
    [
        pytest.param(["first", "second"], "first", id="first-existing-file"),
        pytest.param(["second"], "second", id="first-missing-so-the-existing-one"),
        pytest.param([], "second", id="none-exist-so-the-last"),
    ],
)
def test_kubeconfig_list_is_written_where_kubectl_writes(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, existing: list[str], written: str
) -> None:
    tools.add_kubelogin()
    files = {name: tmp_path / name for name in ("first", "second")}
    for name in existing:
        files[name].write_text(UNRELATED.replace("other", f"other-{name}"), encoding="utf-8")
    before = {name: path.read_bytes() for name, path in files.items() if path.exists()}
    env = tools.env(home, f"{files['first']}::{files['second']}")
    result = run_script(rendered.script("alpha-okta-main"), env=env)
    assert result.returncode == 0, result.stderr
    for name, path in files.items():
        if name == written:
            assert "kubectl-oidc_login" in path.read_text(encoding="utf-8")
        else:
            assert path.read_bytes() == before[name] if name in before else not path.exists()
    assert kubeconfig_view(env)["current-context"] == "alpha"


def test_a_symlinked_kubeconfig_stays_a_symlink(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    real = tmp_path / "dotfiles" / "kubeconfig"
    real.parent.mkdir()
    real.write_text(UNRELATED, encoding="utf-8")
    link = tmp_path / "kubeconfig"
    link.symlink_to(Path("dotfiles") / "kubeconfig")
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert "kubectl-oidc_login" in real.read_text(encoding="utf-8")


def test_broken_kubeconfig_is_left_alone(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("clusters: [\n", encoding="utf-8")
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, kubeconfig))
    assert result.returncode != 0
    assert kubeconfig.read_text(encoding="utf-8") == "clusters: [\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "kubeconfig", "tools"]


# --- kubelogin installation ----------------------------------------------------------------------


def test_kubelogin_is_installed_with_krew(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_installer("kubectl-krew", ["install", "oidc-login"])
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, tmp_path / "kubeconfig"))
    assert result.returncode == 0, result.stderr
    assert tools.record_of("kubectl-krew") == [["install", "oidc-login"]]
    assert "Installing kubelogin with krew (kubectl krew install oidc-login):" in result.stdout


def test_kubelogin_is_installed_with_brew_on_macos(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    write_executable(tools.bin / "uname", "#!/bin/sh\necho Darwin\n")
    tools.add_installer("brew", ["install", "kubelogin"])
    tools.add_recorder("kubectl-krew")
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, tmp_path / "kubeconfig"))
    assert result.returncode == 0, result.stderr
    assert tools.record_of("brew") == [["install", "kubelogin"]]
    assert tools.record_of("kubectl-krew") == []


def test_without_an_installer_it_explains_and_stops(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, kubeconfig))
    assert result.returncode == 1
    assert_install_hint(result.stderr)
    assert not kubeconfig.exists()


def test_dry_run_only_says_it_would_install(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_recorder("kubectl-krew")
    result = run_script(rendered.script("alpha-okta-main"), "--dry-run", env=tools.env(home, tmp_path / "kc"))
    assert result.returncode == 0, result.stderr
    assert "Installing kubelogin with krew (kubectl krew install oidc-login):\n  kubectl-krew install oidc-login\n" in (
        result.stdout
    )
    assert tools.record_of("kubectl-krew") == []
    assert not (tmp_path / "kc").exists()


def test_kubectl_is_required_first(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    result = run_script(
        rendered.script("alpha-okta-main"), env=tools.env(home, tmp_path / "kc", path_tail="/nonexistent")
    )
    assert result.returncode == 1
    assert "kubectl is not installed" in result.stderr


def test_help_and_unknown_options(rendered: Rendered, tools: Tools, home: Path) -> None:
    env = tools.env(home, None)
    shown = run_script(rendered.script("alpha-okta-main"), "--help", env=env)
    assert shown.returncode == 0
    assert "--no-use-context" in shown.stdout
    assert "alpha  EKS cluster Alpha (us-west-2)" in shown.stdout
    assert "--no-use-context" not in run_script(rendered.out / "all-clusters" / "okta-main.sh", "-h", env=env).stdout
    wrong = run_script(rendered.script("alpha-okta-main"), "--frobnicate", env=env)
    assert wrong.returncode == 2
    assert "unknown option: --frobnicate" in wrong.stderr


def test_scripts_are_executable(rendered: Rendered) -> None:
    for script in rendered.out.rglob("*.sh"):
        assert os.access(script, os.X_OK), script


# --- never replacing what it didn't write --------------------------------------------------------


def test_an_engineers_own_same_name_entries_stop_it_before_any_change(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_recorder("kubectl-krew")  # were kubelogin installed first, krew would record it
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(OWN_ALPHA, encoding="utf-8")
    before = kubeconfig.read_bytes()
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, kubeconfig))
    assert result.returncode == 1
    assert "has entries of the names this script uses that it did not write:\n" in result.stderr
    assert "  cluster alpha\n  user alpha\n  context alpha\n" in result.stderr
    assert "--replace" in result.stderr
    assert f"{kubeconfig} is copied to {kubeconfig}.k8s-oidc-backup first" in result.stderr
    assert kubeconfig.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "kubeconfig", "tools"]
    assert tools.record_of("kubectl-krew") == []


@pytest.mark.parametrize(
    ("own", "named_entries"),
    [
        ("contexts:\n- name: alpha\n  context: {cluster: other, user: other}\n", ["context alpha"]),
        ("clusters:\n- name: alpha\n  cluster: {server: https://own.invalid}\n", ["cluster alpha"]),
        (
            "users:\n- name: alpha\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, "
            "command: aws, args: [eks, get-token], interactiveMode: Never}\n",
            ["user alpha"],
        ),
    ],
    ids=["context-only", "cluster-only", "another-exec-plugin"],
)
def test_each_kind_of_same_name_entry_is_named(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, own: str, named_entries: list[str]
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(f"apiVersion: v1\nkind: Config\n{own}", encoding="utf-8")
    before = kubeconfig.read_bytes()
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, kubeconfig))
    assert result.returncode == 1
    listed = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert listed == named_entries
    assert kubeconfig.read_bytes() == before


def test_a_same_name_entry_in_another_file_of_kubeconfig_counts_too(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    first, second = tmp_path / "first", tmp_path / "second"
    first.write_text(UNRELATED, encoding="utf-8")
    second.write_text(OWN_ALPHA.replace("name: other", "name: other2"), encoding="utf-8")
    before = {path: path.read_bytes() for path in (first, second)}
    result = run_script(rendered.script("alpha-okta-main"), env=tools.env(home, f"{first}:{second}"))
    assert result.returncode == 1
    assert "  context alpha\n" in result.stderr
    assert {path: path.read_bytes() for path in (first, second)} == before


def test_replace_backs_the_kubeconfig_up_then_replaces_the_entries(
    rendered: Rendered, accepts: ApiServer, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(OWN_ALPHA, encoding="utf-8")
    kubeconfig.chmod(0o644)
    before = kubeconfig.read_bytes()
    env = tools.env(home, kubeconfig)
    result = run_script(rendered.script("alpha-okta-main"), "--replace", env=env)
    assert result.returncode == 0, result.stderr
    backup = tmp_path / "kubeconfig.k8s-oidc-backup"
    assert backup.read_bytes() == before
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)
    assert f"Your kubeconfig as it was: {backup}" in result.stdout
    assert "did not write (--replace):\n  cluster alpha\n  user alpha\n  context alpha\n" in result.stdout
    assert "error" not in result.stderr
    view = kubeconfig_view(env)
    user = named(view["users"], "alpha")["user"]
    assert user["exec"]["command"] == "kubectl-oidc_login"
    assert "token" not in user
    assert named(view["contexts"], "alpha")["context"] == {"cluster": "alpha", "user": "alpha"}
    assert named(view["users"], "other")["user"] == {"token": "other-token"}
    reaches_server("alpha", env)


def test_a_dry_run_of_replace_writes_no_backup(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(OWN_ALPHA, encoding="utf-8")
    before = kubeconfig.read_bytes()
    result = run_script(
        rendered.script("alpha-okta-main"), "--replace", "--dry-run", env=tools.env(home, kubeconfig), cwd=home
    )
    assert result.returncode == 0, result.stderr
    assert f"  install -m 600 {kubeconfig} {kubeconfig}.k8s-oidc-backup\n" in result.stdout
    assert kubeconfig.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "kubeconfig", "tools"]


def test_entries_of_an_earlier_render_are_updated_and_keep_their_namespace(
    rendered: Rendered, accepts: ApiServer, pki: Pki, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(EARLIER_RENDER, encoding="utf-8")
    env = tools.env(home, kubeconfig)
    result = run_script(rendered.script("alpha-okta-main"), env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "kubeconfig.k8s-oidc-backup").exists()
    view = kubeconfig_view(env)
    assert named(view["clusters"], "alpha")["cluster"]["server"] == f"{accepts.url}/alpha"
    assert named(view["users"], "alpha")["user"]["exec"]["args"] == rendered.expected_args("alpha-okta-main")
    assert named(view["contexts"], "alpha")["context"] == {"cluster": "alpha", "user": "alpha", "namespace": "team-a"}
    reaches_server("alpha", env)

    # A namespace set on the script's own context after it ran stays through the next run, byte for byte.
    assert kubectl("config", "set-context", "alpha", "--namespace=team-b", env=env).returncode == 0
    after_edit = kubeconfig.read_bytes()
    again = run_script(rendered.script("alpha-okta-main"), env=env)
    assert again.returncode == 0, again.stderr
    assert kubeconfig.read_bytes() == after_edit
    assert named(kubeconfig_view(env)["contexts"], "alpha")["context"]["namespace"] == "team-b"


def test_the_all_clusters_script_refuses_too_and_names_every_entry(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    kubeconfig = tmp_path / "kubeconfig"
    own = OWN_ALPHA.replace("- name: other\n  context:", "- name: beta-okta-main\n  context:")
    kubeconfig.write_text(own, encoding="utf-8")
    before = kubeconfig.read_bytes()
    script = rendered.out / "all-clusters" / "okta-main.sh"
    result = run_script(script, env=tools.env(home, kubeconfig))
    assert result.returncode == 1
    listed = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert listed == ["cluster alpha", "user alpha", "context alpha", "context beta-okta-main"]
    assert kubeconfig.read_bytes() == before

    replaced = run_script(script, "--replace", env=tools.env(home, kubeconfig))
    assert replaced.returncode == 0, replaced.stderr
    assert (tmp_path / "kubeconfig.k8s-oidc-backup").read_bytes() == before
    contexts = kubeconfig_view(tools.env(home, kubeconfig))["contexts"]
    assert named(contexts, "beta-okta-main")["context"]["user"] == "beta-okta-main"


# --- no kubectl loop ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "loops"),
    [("kubectl-oidc_login", False), ("kubectl", True)],
    ids=["the-contracts-entry", "an-earlier-renders-entry-loops"],
)
def test_without_kubelogin_the_standalone_kubeconfig_fails_at_once_naming_the_install_hint(
    rendered: Rendered, bounded: BoundedRun, command: str, loops: bool
) -> None:
    """The machine's kubectl (gcloud's dispatcher) with the entry of the render, kubelogin absent: one
    kubectl process and the installHint. The earlier render's `command: kubectl` entry shows what the
    test guards against: the dispatcher calls itself until the process limit stops it."""
    text = (rendered.out / "beta-okta-main" / "kubeconfig.yaml").read_text(encoding="utf-8")
    if command == "kubectl":
        text = text.replace("command: kubectl-oidc_login", "command: kubectl").replace(
            "args:\n      - get-token", "args:\n      - oidc-login\n      - get-token"
        )
    kubeconfig = bounded.write("kubeconfig.yaml", text)
    viewed = bounded.kubectl("config", "view", kubeconfig=kubeconfig)
    if loops:
        assert bounded.kubectl_runs() > 3, viewed.stderr
        return
    assert viewed.returncode == 0, viewed.stderr
    assert bounded.kubectl_runs() == 1
    used = bounded.kubectl("get", "namespaces", kubeconfig=kubeconfig)
    assert used.returncode != 0
    assert bounded.kubectl_runs() == 1, used.stderr
    assert "executable kubectl-oidc_login not found" in used.stderr
    assert_install_hint(used.stderr)


def test_the_setup_script_does_not_loop_on_an_earlier_renders_current_context(
    rendered: Rendered, bounded: BoundedRun
) -> None:
    """Upgrading from an earlier render, kubelogin gone: its `command: kubectl` context is current, and
    every kubectl call of the script would start the dispatcher's loop."""
    kubeconfig = bounded.write("kubeconfig", EARLIER_RENDER)
    before = kubeconfig.read_bytes()
    result = bounded.script(rendered.script("alpha-okta-main"), kubeconfig=kubeconfig)
    assert result.returncode == 1, result.stderr
    assert_install_hint(result.stderr)
    assert bounded.kubectl_runs() == 1  # the script's own read of the kubeconfig
    assert kubeconfig.read_bytes() == before


@pytest.mark.parametrize("script", ["alpha-okta-main/setup-k8s-oidc.sh", "all-clusters/okta-main.sh"])
def test_a_kubelogin_without_pkce_method_stops_the_script_before_any_change(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, script: str
) -> None:
    """The entries pass --oidc-pkce-method=S256; a kubelogin that only knows --oidc-use-pkce would refuse it
    at every kubectl call: the script says so and how to upgrade, and changes nothing."""
    tools.add_kubelogin(help_flag="--oidc-use-pkce")
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(UNRELATED, encoding="utf-8")
    env = tools.env(home, kubeconfig)

    result = run_script(rendered.out / script, env=env)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith(
        f"error: your kubelogin (kubectl-oidc_login, at {tools.bin / 'kubectl-oidc_login'}) is too old: "
        "it does not know --oidc-pkce-method"
    )
    upgrades = ("brew upgrade kubelogin", "kubectl krew upgrade oidc-login", "github.com/int128/kubelogin/releases")
    for upgrade in upgrades:
        assert upgrade in result.stderr
    assert "Nothing was changed." in result.stderr
    assert kubeconfig.read_text(encoding="utf-8") == UNRELATED
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "kubeconfig", "tools"]
    assert tools.record_of("kubelogin") == []

    tools.add_kubelogin()  # upgraded: the same run goes through
    assert run_script(rendered.out / script, env=env).returncode == 0

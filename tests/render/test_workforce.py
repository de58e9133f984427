"""Workforce identity pairs (DESIGN.md 4b): the developer script signs in with gcloud, fetches the
cluster's credentials into its own file, renames the context and merges it; RBAC names pool
principals; no admin script. kubectl is real; so is gcloud where it can run here (the login config,
the active account), behind a recording stand-in that plays the browser sign-in and get-credentials;
gke-gcloud-auth-plugin is a stand-in."""

from __future__ import annotations

import json
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from render_support import (
    OKTA_SCOPES,
    ApiServer,
    Pki,
    Tools,
    cluster_output,
    kubeconfig_view,
    kubectl,
    named,
    oidc_config,
    run_render,
    run_script,
    shellcheck,
    token_for,
    write_executable,
    write_json,
)
from tool_support import require_tool

CONFIG = """\
version: 1
google_workforce_pool: {organization_id: "123456789012", pool_id: acme-pool}
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
clusters:
  alpha: {type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}
  wf:
    type: gke
    auth: workforce_identity
    project: acme-wf
    location: us-west1
    cluster_name: wf-cluster
    identity_providers: [okta-main]
access:
  - {identity_provider: okta-main, group: k8s-admins, cluster_role: cluster-admin}
  - {identity_provider: okta-main, user: jane@example.com, cluster_role: view, clusters: [wf]}
"""
POOL = "iam.googleapis.com/locations/global/workforcePools/acme-pool"
GCLOUD_CONTEXT = "gke_acme-wf_us-west1_wf-cluster"
PLUGIN_TOKEN = "token-from-gke-gcloud-auth-plugin"

AUDIENCE_PREFIX = "//iam.googleapis.com/locations/global/workforcePools/"
LOGIN_CONFIG = "login-config-acme-pool-okta-main.json"
SIGNED_IN_AS = "jane@example.com"

GCLOUD_EFFECT = """
import os, subprocess
if args[:3] == ["iam", "workforce-pools", "create-login-config"] or args == ["config", "get-value", "account"]:
    # The real gcloud writes the login config and reads the active account (in $CLOUDSDK_CONFIG).
    os.execv(REAL_GCLOUD, [REAL_GCLOUD, *args])
elif args[:2] == ["auth", "login"] and len(args) == 3 and args[2].startswith("--login-config="):
    # The browser sign-in can't run here: take the pool from the login config the real gcloud wrote,
    # and make a principal of it the active account, as a sign-in does.
    login_config = json.loads(pathlib.Path(args[2].removeprefix("--login-config=")).read_text())
    pool = login_config["audience"].removeprefix(AUDIENCE_PREFIX).rsplit("/providers/", 1)[0]
    account = f"principal://iam.googleapis.com/locations/global/workforcePools/{pool}/subject/{SIGNED_IN_AS}"
    subprocess.run([REAL_GCLOUD, "config", "set", "account", account], check=True, capture_output=True)
elif args[:3] == ["container", "clusters", "get-credentials"]:
    name, location, project = args[3], args[args.index("--location") + 1], args[args.index("--project") + 1]
    entry = f"gke_{project}_{location}_{name}"
    path = pathlib.Path(os.environ["KUBECONFIG"].split(":")[0])
    config = json.loads(path.read_text()) if path.exists() and path.read_text() else {
        "apiVersion": "v1", "kind": "Config", "clusters": [], "users": [], "contexts": []}
    cluster = {"server": SERVER, "certificate-authority-data": CA}
    config["clusters"].append({"name": entry, "cluster": cluster})
    config["users"].append({"name": entry, "user": {"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1", "command": "gke-gcloud-auth-plugin",
        "provideClusterInfo": True, "interactiveMode": "IfAvailable"}}})
    config["contexts"].append({"name": entry, "context": {"cluster": entry, "user": entry}})
    config["current-context"] = entry
    path.write_text(json.dumps(config))
else:
    sys.exit(f"gcloud stand-in: unexpected call {args}")
"""
"""gcloud as far as the script uses it: the real gcloud for the login config and the active account; the
sign-in as its effect (an active account of the pool); get-credentials writing the entries gcloud
writes, into the first file of $KUBECONFIG, and making the cluster current."""


def gcloud_effect(real_gcloud: str, server: str, ca: str) -> str:
    constants = {
        "REAL_GCLOUD": real_gcloud,
        "SERVER": server,
        "CA": ca,
        "AUDIENCE_PREFIX": AUDIENCE_PREFIX,
        "SIGNED_IN_AS": SIGNED_IN_AS,
    }
    return "".join(f"{name} = {value!r}\n" for name, value in constants.items()) + GCLOUD_EFFECT


PLUGIN = "#!/bin/sh\nprintf '%s' '{}'\n".format(
    json.dumps(
        {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "kind": "ExecCredential",
            "status": {"token": PLUGIN_TOKEN},
        }
    )
)


@dataclass(frozen=True)
class Rendered:
    out: Path
    server: str


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("workforce")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs: dict[str, Any] = {
        "alpha-okta-main": {
            "oidc_config": oidc_config(
                client_id="0oa-alpha", issuer_url="https://acme.okta.com/oauth2/x", prefix="okta:", scopes=OKTA_SCOPES
            ),
            "cluster": cluster_output(
                name="Alpha", type="eks", location="us-west-2", endpoint=f"{server.url}/alpha", ca_data=pki.ca_data
            ),
        },
        "wf-okta-main": {
            "cluster": cluster_output(
                name="wf-cluster", type="gke", location="us-west1", endpoint=f"{server.url}/wf", ca_data=pki.ca_data
            ),
            "workforce": {
                "pool": "acme-pool",
                "provider": "okta-main",
                "project": "acme-wf",
                "location": "us-west1",
                "cluster_name": "wf-cluster",
            },
        },
        "workforce-pool": {"pool_name": "locations/global/workforcePools/acme-pool"},
    }
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr  # a workforce cluster needs no ClientConfig
    return Rendered(folder / "out", server.url)


@pytest.fixture(scope="session")
def real_gcloud() -> str:
    return require_tool("gcloud")


@pytest.fixture
def plugin_env(api: ApiServer, tools: Tools, tmp_path: Path) -> dict[str, str]:
    """kubectl's environment: gke-gcloud-auth-plugin and kubelogin stand-ins, a kubeconfig with one
    other context (current), a home of the test's own."""
    write_executable(tools.bin / "gke-gcloud-auth-plugin", PLUGIN)
    tools.add_kubelogin()
    api.tokens["/wf"] = {PLUGIN_TOKEN}
    api.tokens["/alpha"] = {token_for("0oa-alpha")}
    home = tmp_path / "home"
    home.mkdir()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "other", "cluster": {"server": "https://other.invalid"}}],
                "users": [{"name": "other", "user": {"token": "t"}}],
                "contexts": [{"name": "other", "context": {"cluster": "other", "user": "other"}}],
                "current-context": "other",
            }
        ),
        encoding="utf-8",
    )
    return tools.env(home, kubeconfig)


@pytest.fixture
def env(
    plugin_env: dict[str, str], real_gcloud: str, rendered: Rendered, pki: Pki, tools: Tools, tmp_path: Path
) -> dict[str, str]:
    """plus the gcloud stand-in over the real gcloud, whose config folder is the test's own (never the
    user's): no prompts, no update checks."""
    tools.add_recorder("gcloud", gcloud_effect(real_gcloud, f"{rendered.server}/wf", pki.ca_data))
    return {
        **plugin_env,
        "CLOUDSDK_CONFIG": str(tmp_path / "gcloud-config"),
        "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
        "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK": "1",
    }


def login_configs(env: dict[str, str]) -> Path:
    """Where the script keeps login configs: gcloud's config folder, as gcloud finds it."""
    config = env.get("CLOUDSDK_CONFIG") or f"{env['HOME']}/.config/gcloud"
    return Path(config) / "k8s-oidc"


def set_account(real_gcloud: str, env: dict[str, str], account: str) -> None:
    """Make `account` gcloud's active account, as a past sign-in would have."""
    result = subprocess.run(
        [real_gcloud, "config", "set", "account", account], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def principal(pool: str) -> str:
    return f"principal://iam.googleapis.com/locations/global/workforcePools/{pool}/subject/{SIGNED_IN_AS}"


def gcloud_calls(tools: Tools, env: dict[str, str], *, signs_in: bool) -> list[list[str]]:
    """The gcloud calls of one run of the wf-okta-main script that signs in (or finds the pool's account)."""
    login_config = login_configs(env) / LOGIN_CONFIG
    return [
        [
            "iam",
            "workforce-pools",
            "create-login-config",
            "locations/global/workforcePools/acme-pool/providers/okta-main",
            f"--output-file={login_config}",
        ],
        ["config", "get-value", "account"],
        *([["auth", "login", f"--login-config={login_config}"]] if signs_in else []),
        ["container", "clusters", "get-credentials", "wf-cluster", "--location", "us-west1", "--project", "acme-wf"],
    ]


def assert_real_login_config(path: Path, pool: str, provider: str) -> None:
    """The file is the real gcloud's login config for that pool provider, private to its owner."""
    login_config = json.loads(path.read_text(encoding="utf-8"))
    assert login_config["type"] == "external_account_authorized_user_login_config"
    assert login_config["audience"] == f"{AUDIENCE_PREFIX}{pool}/providers/{provider}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_files_and_rbac(rendered: Rendered) -> None:
    assert not (rendered.out / "admin").exists()
    assert sorted(path.name for path in (rendered.out / "wf-okta-main").iterdir()) == [
        "README.md",
        "kubeconfig.yaml",
        "rbac.yaml",
        "setup-k8s-oidc.sh",
    ]
    # The engineer's guide of a workforce pair is about gcloud: kubectl never runs kubelogin there.
    guide = (rendered.out / "wf-okta-main" / "README.md").read_text(encoding="utf-8")
    assert "gcloud auth login --login-config=FILE --no-launch-browser" in guide
    assert "workforce pool\n`acme-pool`" in guide or "workforce pool `acme-pool`" in guide
    assert "kubectl-oidc_login" not in guide and "oidc-login" not in guide
    bindings = list(yaml.safe_load_all((rendered.out / "wf-okta-main" / "rbac.yaml").read_text(encoding="utf-8")))
    assert [binding["subjects"][0] for binding in bindings] == [
        {"kind": "Group", "name": f"principalSet://{POOL}/group/k8s-admins", "apiGroup": "rbac.authorization.k8s.io"},
        {
            "kind": "User",
            "name": f"principal://{POOL}/subject/jane@example.com",
            "apiGroup": "rbac.authorization.k8s.io",
        },
    ]
    for binding in bindings:
        kubernetes_validate.validate(binding, "1.32", strict=True)
    page = (rendered.out / "all-clusters" / "okta-main.md").read_text(encoding="utf-8")
    assert f"`principal://{POOL}/subject/`" in page


def test_script_signs_in_with_gcloud_and_adds_the_renamed_context(
    rendered: Rendered, tools: Tools, env: dict[str, str]
) -> None:
    script = rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh"
    result = run_script(script, env=env)
    assert result.returncode == 0, result.stderr
    assert tools.record_of("gcloud") == gcloud_calls(tools, env, signs_in=True)
    login_config = login_configs(env) / LOGIN_CONFIG
    assert_real_login_config(login_config, "acme-pool", "okta-main")
    assert f"Sign in again later with: gcloud auth login --login-config={login_config}\n" in result.stdout

    view = kubeconfig_view(env)
    assert view["current-context"] == "wf"
    assert named(view["contexts"], "wf")["context"] == {"cluster": GCLOUD_CONTEXT, "user": GCLOUD_CONTEXT}
    assert [context["name"] for context in view["contexts"]] == ["other", "wf"]
    version = kubectl("--context", "wf", "version", "-o", "json", env=env)
    assert version.returncode == 0, version.stderr

    # Again: the sign-in made an account of the pool active, so no second browser sign-in; same bytes.
    kubeconfig = Path(env["KUBECONFIG"])
    first, first_login_config = kubeconfig.read_bytes(), login_config.read_bytes()
    again = run_script(script, env=env)
    assert again.returncode == 0, again.stderr
    assert tools.record_of("gcloud")[4:] == gcloud_calls(tools, env, signs_in=False)
    assert f"gcloud is signed in to workforce pool acme-pool already (as {principal('acme-pool')})" in again.stdout
    assert kubeconfig.read_bytes() == first
    assert login_config.read_bytes() == first_login_config


@pytest.mark.parametrize(
    ("account", "signs_in"),
    [
        (None, True),
        (principal("acme-pool"), False),
        (principal("other-pool"), True),
        (principal("acme-pool-old"), True),  # shares the pool's name as a prefix: another pool
        ("jane@example.com", True),  # a Google account
    ],
    ids=["no-account", "this-pool", "other-pool", "prefix-sharing-pool", "google-account"],
)
def test_sign_in_unless_an_account_of_the_pool_is_active(
    rendered: Rendered, tools: Tools, env: dict[str, str], real_gcloud: str, account: str | None, signs_in: bool
) -> None:
    if account is not None:
        set_account(real_gcloud, env, account)
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", env=env)
    assert result.returncode == 0, result.stderr
    assert tools.record_of("gcloud") == gcloud_calls(tools, env, signs_in=signs_in)
    assert ("gcloud is signed in to workforce pool acme-pool already" in result.stdout) is not signs_in
    assert ("your browser opens" in result.stdout) is signs_in
    assert_real_login_config(login_configs(env) / LOGIN_CONFIG, "acme-pool", "okta-main")


def test_login_config_goes_to_the_default_gcloud_config_folder(
    rendered: Rendered, tools: Tools, env: dict[str, str]
) -> None:
    env = {name: value for name, value in env.items() if name != "CLOUDSDK_CONFIG"}
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", env=env)
    assert result.returncode == 0, result.stderr
    login_config = Path(env["HOME"]) / ".config" / "gcloud" / "k8s-oidc" / LOGIN_CONFIG
    assert tools.record_of("gcloud") == gcloud_calls(tools, env, signs_in=True)
    assert_real_login_config(login_config, "acme-pool", "okta-main")


def test_without_home_or_cloudsdk_config_it_stops_before_anything(
    rendered: Rendered, tools: Tools, env: dict[str, str]
) -> None:
    """gcloud's config folder is $CLOUDSDK_CONFIG, else under $HOME: with neither, nothing is run."""
    env = {name: value for name, value in env.items() if name not in ("CLOUDSDK_CONFIG", "HOME")}
    before = Path(env["KUBECONFIG"]).read_bytes()
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", env=env)
    assert result.returncode == 1
    assert result.stderr == (
        "error: HOME is not set, nor CLOUDSDK_CONFIG: gcloud has no config folder to sign in with. "
        "Set HOME (or CLOUDSDK_CONFIG=FOLDER) and run this again; nothing was changed.\n"
    )
    assert tools.record_of("gcloud") == []
    assert Path(env["KUBECONFIG"]).read_bytes() == before


def test_skip_login_neither_signs_in_nor_writes_a_login_config(
    rendered: Rendered, tools: Tools, env: dict[str, str]
) -> None:
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", "--skip-login", env=env)
    assert result.returncode == 0, result.stderr
    assert tools.record_of("gcloud") == gcloud_calls(tools, env, signs_in=False)[2:]
    assert not Path(env["CLOUDSDK_CONFIG"]).exists()
    assert kubeconfig_view(env)["current-context"] == "wf"


def test_all_clusters_script_mixes_kubelogin_and_gcloud(rendered: Rendered, tools: Tools, env: dict[str, str]) -> None:
    result = run_script(rendered.out / "all-clusters" / "okta-main.sh", env=env)
    assert result.returncode == 0, result.stderr
    assert tools.record_of("gcloud") == gcloud_calls(tools, env, signs_in=True)
    view = kubeconfig_view(env)
    assert view["current-context"] == "other"
    assert sorted(context["name"] for context in view["contexts"]) == ["alpha", "other", "wf"]
    for context in ("alpha", "wf"):
        version = kubectl("--context", context, "version", "-o", "json", env=env)
        assert version.returncode == 0, version.stderr


def test_dry_run_prints_the_gcloud_commands(rendered: Rendered, tools: Tools, env: dict[str, str]) -> None:
    before = Path(env["KUBECONFIG"]).read_bytes()
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert Path(env["KUBECONFIG"]).read_bytes() == before
    assert tools.record_of("gcloud") == []
    assert not Path(env["CLOUDSDK_CONFIG"]).exists()
    folder = login_configs(env)
    assert (
        f"  mkdir -p -m 700 {folder}\n"
        "  gcloud iam workforce-pools create-login-config "
        "locations/global/workforcePools/acme-pool/providers/okta-main "
        f"--output-file={folder}/{LOGIN_CONFIG}\n"
        "  (the next one only when gcloud's active account is not of workforce pool acme-pool)\n"
        f"  gcloud auth login --login-config={folder}/{LOGIN_CONFIG}\n"
        "  KUBECONFIG=K8S_OIDC_TMP/gcloud gcloud container clusters get-credentials wf-cluster --location us-west1 "
        "--project acme-wf\n"
        "  KUBECONFIG=K8S_OIDC_TMP/gcloud kubectl --context=k8s-oidc-no-context config rename-context "
        f"{GCLOUD_CONTEXT} wf > /dev/null\n"
    ) in result.stdout
    skipped = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", "--dry-run", "--skip-login", env=env)
    assert skipped.returncode == 0, skipped.stderr
    assert "create-login-config" not in skipped.stdout
    assert "auth login" not in skipped.stdout
    assert "get-credentials" in skipped.stdout


def test_help_tells_where_the_login_config_goes_and_that_a_browser_signs_in(
    rendered: Rendered, plugin_env: dict[str, str]
) -> None:
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", "--help", env=plugin_env)
    assert result.returncode == 0, result.stderr
    assert "in a browser (workforce pools have no headless sign-in)" in result.stdout
    assert "${CLOUDSDK_CONFIG:-~/.config/gcloud}/k8s-oidc/" in result.stdout
    assert "--skip-login" in result.stdout
    page = " ".join((rendered.out / "all-clusters" / "okta-main.md").read_text(encoding="utf-8").split())
    assert "in a browser (workforce pools have no headless sign-in)" in page
    assert f"`${{CLOUDSDK_CONFIG:-~/.config/gcloud}}/k8s-oidc/{LOGIN_CONFIG}`" in page


def test_standalone_kubeconfig_uses_the_gcloud_plugin(rendered: Rendered, plugin_env: dict[str, str]) -> None:
    standalone = {**plugin_env, "KUBECONFIG": str(rendered.out / "wf-okta-main" / "kubeconfig.yaml")}
    version = kubectl("version", "-o", "json", env=standalone)
    assert version.returncode == 0, version.stderr
    user = named(kubeconfig_view(standalone)["users"], "wf")["user"]
    assert user["exec"]["command"] == "gke-gcloud-auth-plugin"


def test_workforce_clusters_take_no_client_config(rendered: Rendered, tmp_path: Path) -> None:
    config = tmp_path / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs = write_json(tmp_path / "outputs.json", {"alpha-okta-main": {}, "wf-okta-main": {"cluster": {}}})
    result = run_render(config, outputs, tmp_path / "out", "--client-config", f"wf={outputs}")
    assert result.returncode == 2
    assert "cluster 'wf' uses workforce_identity: gcloud finds its server, not a ClientConfig" in result.stderr
    assert "wf-okta-main.workforce: required key is missing" in result.stderr
    assert "wf-okta-main.oidc_config" not in result.stderr
    assert "alpha-okta-main.oidc_config: required key is missing" in result.stderr


def test_hostile_workforce_values_reach_gcloud_exactly(
    rendered: Rendered, pki: Pki, tools: Tools, env: dict[str, str], real_gcloud: str, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    # No newline: outputs with control characters are refused (tests/render/test_output_checks.py).
    hostile = f"x \"dq\" 'sq' $(touch {marker}) `touch {marker}` \\ ; line2"
    config = tmp_path / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    workforce = {key: f"{key} {hostile}" for key in ("pool", "provider", "project", "location", "cluster_name")}
    # Glob characters too: the active-account check compares the pool literally.
    workforce["pool"] += " *?"
    outputs = {
        "alpha-okta-main": json.loads((rendered.out / ".." / "outputs.json").read_text(encoding="utf-8"))[
            "alpha-okta-main"
        ],
        "wf-okta-main": {
            "cluster": cluster_output(
                name="wf", type="gke", location="us-west1", endpoint=f"{rendered.server}/wf", ca_data=pki.ca_data
            ),
            "workforce": workforce,
        },
    }
    result = run_render(config, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    script = tmp_path / "out" / "wf-okta-main" / "setup-k8s-oidc.sh"
    assert shellcheck(script).returncode == 0
    dry = run_script(script, "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert tools.record_of("gcloud") == []

    # An account of a pool the pool's `*?` would match as a pattern: not the pool, so a sign-in.
    set_account(real_gcloud, env, principal(f"pool {hostile} decoy"))
    run = run_script(script, env=env)
    assert run.returncode == 0, run.stderr
    calls = tools.record_of("gcloud")
    assert [call[:2] for call in calls] == [
        ["iam", "workforce-pools"],
        ["config", "get-value"],
        ["auth", "login"],
        ["container", "clusters"],
    ]
    assert calls[0][3] == f"locations/global/workforcePools/{workforce['pool']}/providers/{workforce['provider']}"
    # Named by a hash: the values' `/` would otherwise make a path out of the login configs' folder.
    [login_config] = login_configs(env).iterdir()
    assert re.fullmatch(r"login-config-[0-9a-f]{16}\.json", login_config.name)
    assert calls[0][4] == f"--output-file={login_config}"
    assert calls[2][2] == f"--login-config={login_config}"
    assert_real_login_config(login_config, workforce["pool"], workforce["provider"])
    assert calls[3] == [
        "container",
        "clusters",
        "get-credentials",
        workforce["cluster_name"],
        "--location",
        workforce["location"],
        "--project",
        workforce["project"],
    ]
    gcloud_context = f"gke_{workforce['project']}_{workforce['location']}_{workforce['cluster_name']}"
    assert named(kubeconfig_view(env)["contexts"], "wf")["context"]["cluster"] == gcloud_context

    # The sign-in made the exact pool's principal active: the next run finds it.
    first = Path(env["KUBECONFIG"]).read_bytes()
    again = run_script(script, env=env)
    assert again.returncode == 0, again.stderr
    assert [call[:2] for call in tools.record_of("gcloud")[4:]] == [
        ["iam", "workforce-pools"],
        ["config", "get-value"],
        ["container", "clusters"],
    ]
    assert Path(env["KUBECONFIG"]).read_bytes() == first
    assert not marker.exists()


@pytest.mark.parametrize(
    "context",
    [
        {"cluster": "other", "user": "other"},
        # gcloud's user name, but another plugin: not what gcloud writes.
        {"cluster": "other", "user": GCLOUD_CONTEXT},
    ],
    ids=["own-user", "same-user-name-without-gcloud-plugin"],
)
def test_an_engineers_own_context_of_the_name_stops_it_before_any_change(
    rendered: Rendered, tools: Tools, env: dict[str, str], context: dict[str, str]
) -> None:
    kubeconfig = Path(env["KUBECONFIG"])
    config = json.loads(kubeconfig.read_text(encoding="utf-8"))
    config["contexts"].append({"name": "wf", "context": context})
    config["users"].append({"name": GCLOUD_CONTEXT, "user": {"token": "engineers-own"}})
    kubeconfig.write_text(json.dumps(config), encoding="utf-8")
    before = kubeconfig.read_bytes()
    result = run_script(rendered.out / "wf-okta-main" / "setup-k8s-oidc.sh", env=env)
    assert result.returncode == 1
    assert "  context wf\n" in result.stderr
    assert "--replace" in result.stderr
    assert kubeconfig.read_bytes() == before
    assert tools.record_of("gcloud") == []

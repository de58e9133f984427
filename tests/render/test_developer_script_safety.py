"""The developer script's round-3 rules (DESIGN.md contract 5), with real bash and the real kubectl:
which kubeconfig entries are its own is decided from data no kubeconfig value can forge; it replaces the
kubeconfig under kubectl's own lock; it stops before anything when it cannot know where the kubeconfig
is; a dry run exits as the real run would; every script names itself in its usage text."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
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
    write_executable,
    write_json,
)

CONFIG = """\
version: 1
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
clusters:
  alpha: {type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}
"""
FORGED_LINE = 'user\t"alpha"\t"kubectl-oidc_login"'
"""The line the script's probe prints for a user `alpha` that is a kubelogin exec entry: the script's own."""
FOREIGN_ALPHA: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Config",
    "clusters": [{"name": "alpha", "cluster": {"server": "https://alpha.own.invalid"}}],
    "users": [{"name": "alpha", "user": {"token": "engineers-own-token"}}],
    "contexts": [{"name": "alpha", "context": {"cluster": "alpha", "user": "alpha", "namespace": "own"}}],
    "current-context": "alpha",
}
"""An engineer's own `alpha`: a static token, not the script's."""
UNRELATED: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Config",
    "clusters": [{"name": "other", "cluster": {"server": "https://other.invalid"}}],
    "users": [{"name": "other", "user": {"token": "other-token"}}],
    "contexts": [{"name": "other", "context": {"cluster": "other", "user": "other"}}],
    "current-context": "other",
}
LOCK_WAIT_SECONDS = 5


@dataclass(frozen=True)
class Rendered:
    out: Path

    @property
    def script(self) -> Path:
        return self.out / "alpha-okta-main" / "setup-k8s-oidc.sh"

    @property
    def all_clusters(self) -> Path:
        return self.out / "all-clusters" / "okta-main.sh"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("safety")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs = {
        "alpha-okta-main": {
            "oidc_config": oidc_config(
                client_id="0oa-alpha", issuer_url="https://acme.okta.com", prefix="okta:", scopes=OKTA_SCOPES
            ),
            "cluster": cluster_output(
                name="Alpha", type="eks", location="us-west-2", endpoint=f"{server.url}/alpha", ca_data=pki.ca_data
            ),
        }
    }
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return Rendered(folder / "out")


@pytest.fixture(autouse=True)
def _server_state(api: ApiServer) -> ApiServer:
    """The session's API server, left as other tests expect it: gcloud's kubectl dispatcher asks the
    current context's server for its version, and the scripts here make `alpha` current."""
    return api


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def write_kubeconfig(path: Path, kubeconfig: dict[str, Any]) -> Path:
    """A kubeconfig as JSON (which kubectl reads as YAML): every value exactly, control characters too."""
    path.write_text(json.dumps(kubeconfig, ensure_ascii=False), encoding="utf-8")
    return path


def listed_entries(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ")]


def leftovers(folder: Path) -> list[str]:
    """What the script may have left beside the kubeconfig: its temporary folder, a lock, a backup."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".k8s-oidc") or "lock" in path.name)


def test_the_scripts_pass_shellcheck(rendered: Rendered) -> None:
    for script in (rendered.script, rendered.all_clusters):
        result = shellcheck(script)
        assert result.returncode == 0, result.stdout


# --- ownership no kubeconfig value can forge ------------------------------------------------------


def _with(**extra: list[dict[str, Any]]) -> dict[str, Any]:
    """FOREIGN_ALPHA plus more entries per section."""
    return {
        **FOREIGN_ALPHA,
        **{section: [*FOREIGN_ALPHA[section], *entries] for section, entries in extra.items()},
    }


def _exec_user(name: str, command: str, args: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": command, "args": args}},
    }


FORGERIES = {
    # The attack of issue 18: another context's namespace prints a line of its own.
    "namespace": _with(
        contexts=[{"name": "other", "context": {"cluster": "alpha", "user": "x", "namespace": f"x\n{FORGED_LINE}"}}]
    ),
    "namespace-ending-in-a-newline": _with(
        contexts=[{"name": "other", "context": {"cluster": "alpha", "user": "x", "namespace": f"\n{FORGED_LINE}\n"}}]
    ),
    "context-name": _with(contexts=[{"name": f"x\n{FORGED_LINE}", "context": {"cluster": "alpha", "user": "x"}}]),
    "cluster-name": _with(clusters=[{"name": f"x\t\n{FORGED_LINE}", "cluster": {"server": "https://x.invalid"}}]),
    "user-name": _with(users=[{"name": f'alpha"\t"kubectl-oidc_login"\n{FORGED_LINE}', "user": {"token": "t"}}]),
    "context-user": _with(contexts=[{"name": "other", "context": {"cluster": "x", "user": f"x\n{FORGED_LINE}"}}]),
    "exec-command": _with(users=[_exec_user("other", f"x\n{FORGED_LINE}", [])]),
    "exec-argument": _with(users=[_exec_user("other", "aws", [f"x\n{FORGED_LINE}", f'"\t\n{FORGED_LINE}'])]),
}


@pytest.mark.parametrize("kubeconfig", FORGERIES.values(), ids=FORGERIES.keys())
def test_no_kubeconfig_value_makes_a_foreign_entry_look_like_the_scripts(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, kubeconfig: dict[str, Any]
) -> None:
    """A value holding a newline, tab or quote and what the probe would print for the script's own user
    `alpha`: the engineer's `alpha` still stops the script, which changes nothing."""
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", kubeconfig)
    before = path.read_bytes()
    result = run_script(rendered.script, env=tools.env(home, path))
    assert result.returncode == 1, result.stdout
    assert listed_entries(result.stderr) == ["cluster alpha", "user alpha", "context alpha"]
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


LEGACY = "kubectl", ["oidc-login", "get-token", "--oidc-issuer-url=https://old.example", "--oidc-client-id=old"]
"""The exec entry of earlier renders: `kubectl oidc-login get-token …`."""


@pytest.mark.parametrize(
    ("command", "args", "ours"),
    [
        pytest.param(
            "kubectl-oidc_login", ["get-token", "--oidc-issuer-url=https://old.example"], True, id="kubelogin"
        ),
        pytest.param(*LEGACY, True, id="earlier-render"),
        pytest.param("kubectl", ["oidc-login", "get-token"], True, id="earlier-render-no-more-args"),
        pytest.param("kubectl", ["oidc-login"], False, id="no-get-token"),
        pytest.param("kubectl", ["oidc-login", "get-tokens"], False, id="get-tokens"),
        pytest.param("kubectl", ["get-token", "oidc-login"], False, id="swapped"),
        pytest.param("kubectl", ["oidc-login get-token"], False, id="one-argument"),
        pytest.param("kubectl", ['oidc-login"\t"get-token'], False, id="one-argument-with-quotes-and-tab"),
        pytest.param("kubectl", ["oidc-login-x", "get-token"], False, id="another-plugin"),
        pytest.param("kubectl", ["x", "oidc-login", "get-token"], False, id="not-first"),
        pytest.param("/usr/bin/kubectl", ["oidc-login", "get-token"], False, id="kubectl-by-path"),
        pytest.param("kubectl-x", ["oidc-login", "get-token"], False, id="another-command"),
        pytest.param("kubectl-oidc_login ", ["get-token"], False, id="kubelogin-with-a-space"),
        pytest.param('kubectl-oidc_login"', ["get-token"], False, id="kubelogin-with-a-quote"),
        pytest.param("kubectl-oidc_login\tx", ["get-token"], False, id="kubelogin-with-a-tab"),
    ],
)
def test_only_kubelogin_exec_entries_count_as_the_scripts(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, command: str, args: list[str], ours: bool
) -> None:
    """A user entry `alpha` that runs kubelogin (this render's command, or the `kubectl oidc-login
    get-token` of earlier renders) is the script's: it updates it and keeps the context's namespace.
    Anything that merely looks like one is the engineer's: it stops, naming each entry."""
    tools.add_kubelogin()
    kubeconfig = {**FOREIGN_ALPHA, "users": [_exec_user("alpha", command, args)]}
    path = write_kubeconfig(tmp_path / "kubeconfig", kubeconfig)
    before = path.read_bytes()
    env = tools.env(home, path)
    result = run_script(rendered.script, env=env)
    if ours:
        assert result.returncode == 0, result.stderr
        view = kubeconfig_view(env)
        assert named(view["users"], "alpha")["user"]["exec"]["command"] == "kubectl-oidc_login"
        assert named(view["contexts"], "alpha")["context"] == {"cluster": "alpha", "user": "alpha", "namespace": "own"}
        assert "--replace" not in result.stdout
    else:
        assert result.returncode == 1, result.stdout
        assert listed_entries(result.stderr) == ["cluster alpha", "user alpha", "context alpha"]
        assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "namespace",
    [
        "team-a",
        "a b \"c\" 'd' \\e $(f) `g`",
        f"x\n{FORGED_LINE}\n",
        "\ttabs\t",
        " spaces ",
        "ünïcødé €\u2028",
        "-n",
    ],
    ids=["plain", "quotes", "forged-line-and-newlines", "tabs", "spaces", "unicode", "an-option"],
)
def test_the_namespace_of_its_own_context_stays_byte_for_byte(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, namespace: str
) -> None:
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    env = tools.env(home, path)
    assert run_script(rendered.script, env=env).returncode == 0
    assert kubectl("config", "set-context", "alpha", f"--namespace={namespace}", env=env).returncode == 0
    after_edit = path.read_bytes()

    again = run_script(rendered.script, env=env)
    assert again.returncode == 0, again.stderr
    assert named(kubeconfig_view(env)["contexts"], "alpha")["context"]["namespace"] == namespace
    assert path.read_bytes() == after_edit


def test_a_namespace_no_argument_can_carry_stops_it(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    """A NUL can't be passed to `kubectl config set-context --namespace`: rather than change the
    namespace, the script stops and says so."""
    tools.add_kubelogin()
    kubeconfig = {**FOREIGN_ALPHA, "users": [_exec_user("alpha", *LEGACY)]}
    kubeconfig["contexts"] = [{"name": "alpha", "context": {"cluster": "alpha", "user": "alpha", "namespace": "a\0b"}}]
    path = write_kubeconfig(tmp_path / "kubeconfig", kubeconfig)
    before = path.read_bytes()
    result = run_script(rendered.script, env=tools.env(home, path))
    assert result.returncode == 1
    assert "error: the namespace of your context alpha holds a NUL character" in result.stderr
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


# --- where the kubeconfig is --------------------------------------------------------------------


@pytest.mark.parametrize("kubeconfig", [None, ":", "::"], ids=["unset", "colon", "colons"])
def test_without_home_or_kubeconfig_it_stops_before_anything(
    rendered: Rendered, tools: Tools, home: Path, kubeconfig: str | None
) -> None:
    tools.add_recorder("kubectl-krew")  # kubelogin is missing: a run that went on would install it
    env = tools.env(home, None)
    del env["HOME"]
    if kubeconfig is not None:
        env["KUBECONFIG"] = kubeconfig
    for script in (rendered.script, rendered.all_clusters):
        for flags in ([], ["--dry-run"]):
            result = run_script(script, *flags, env=env, cwd=home)
            assert result.returncode == 1
            assert result.stderr == (
                "error: HOME is not set, nor KUBECONFIG: there is no kubeconfig to add the contexts to. "
                "Set HOME (or KUBECONFIG=FILE) and run this again; nothing was changed.\n"
            )
            assert result.stdout == ""
    assert tools.record_of("kubectl-krew") == []
    assert list(home.iterdir()) == []


def test_with_kubeconfig_set_home_is_not_needed(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    env = {**tools.env(home, tmp_path / "kubeconfig"), "HOME": ""}  # empty: as good as unset to the script
    # Kept from the current context: gcloud's kubectl would run its kubelogin, caching under "" (here).
    result = run_script(rendered.script, "--no-use-context", env=env, cwd=home)
    assert result.returncode == 0, result.stderr
    assert named(kubeconfig_view(env)["users"], "alpha")["user"]["exec"]["command"] == "kubectl-oidc_login"
    assert list(home.iterdir()) == []


# --- a dry run exits as the real run would -------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "status"),
    [
        pytest.param("kubelogin", 0, id="ready"),
        pytest.param("krew", 0, id="kubelogin-installed-with-krew"),
        pytest.param("nothing", 1, id="kubelogin-missing-no-installer"),
        pytest.param("old-kubelogin", 1, id="kubelogin-too-old"),
        pytest.param("foreign-entries", 1, id="someone-elses-entries"),
    ],
)
def test_a_dry_run_exits_with_the_status_of_the_real_run(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, setup: str, status: int
) -> None:
    path = write_kubeconfig(tmp_path / "kubeconfig", FOREIGN_ALPHA if setup == "foreign-entries" else UNRELATED)
    before = path.read_bytes()
    if setup in ("kubelogin", "foreign-entries"):
        tools.add_kubelogin()
    elif setup == "krew":
        tools.add_installer("kubectl-krew", ["install", "oidc-login"])
    elif setup == "old-kubelogin":
        tools.add_kubelogin(help_flag="--oidc-use-pkce")
    env = tools.env(home, path)

    dry = run_script(rendered.script, "--dry-run", env=env, cwd=home)
    assert dry.returncode == status, dry.stderr
    assert path.read_bytes() == before
    if setup == "nothing":
        assert "kubelogin (kubectl-oidc_login) signs you in to this cluster, and it is not installed" in dry.stderr
    real = run_script(rendered.script, env=env)
    assert real.returncode == status, real.stderr


# --- each script names itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "name"),
    [("alpha-okta-main/setup-k8s-oidc.sh", "setup-k8s-oidc.sh"), ("all-clusters/okta-main.sh", "okta-main.sh")],
)
def test_every_script_names_itself_in_its_usage(
    rendered: Rendered, tools: Tools, home: Path, script: str, name: str
) -> None:
    env = tools.env(home, None)
    shown = run_script(rendered.out / script, "--help", env=env)
    assert shown.returncode == 0
    assert shown.stdout.startswith(f"Usage: {name} [--dry-run] [--replace]")
    wrong = run_script(rendered.out / script, "--frobnicate", env=env)
    assert wrong.returncode == 2
    assert f"\nUsage: {name} [--dry-run]" in wrong.stderr
    if name != "setup-k8s-oidc.sh":
        assert "setup-k8s-oidc.sh" not in shown.stdout


def test_the_all_clusters_script_of_another_idp_names_itself(tmp_path: Path, pki: Pki, tools: Tools) -> None:
    """The name comes from the render step (the IdP's key), not from the template."""
    config = tmp_path / "oidc.yaml"
    config.write_text(CONFIG.replace("okta-main", "corp-sso"), encoding="utf-8")
    outputs = {
        "alpha-corp-sso": {
            "oidc_config": oidc_config(client_id="c", issuer_url="https://x.okta.com", prefix="o:", scopes=OKTA_SCOPES),
            "cluster": cluster_output(
                name="a", type="eks", location="us-west-2", endpoint="https://a.invalid", ca_data=pki.ca_data
            ),
        }
    }
    assert run_render(config, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out").returncode == 0
    shown = run_script(tmp_path / "out" / "all-clusters" / "corp-sso.sh", "--help", env=tools.env(tmp_path, None))
    assert shown.stdout.startswith("Usage: corp-sso.sh [--dry-run] [--replace]\n")


# --- kubectl's lock ------------------------------------------------------------------------------

KUBECTL_SPY = """\
#!{python}
# Stand-in for kubectl on PATH: records each call (its arguments, $KUBECONFIG, which locks exist), runs
# the machine's kubectl, and at the read that merges the script's entries does what the test asked.
import json, os, pathlib, subprocess, sys, time
real, locks, record, effect, user_kubeconfig = {real!r}, {locks!r}, {record!r}, {effect!r}, {kubeconfig!r}
args = sys.argv[1:]
kubeconfig = os.environ.get("KUBECONFIG", "")
merge_read = args[1:] == ["config", "view", "--raw"] and "/entries:" in kubeconfig
with open(record, "a", encoding="utf-8") as stream:
    locked = [os.path.lexists(lock) for lock in locks]
    stream.write(json.dumps({{"args": args, "kubeconfig": kubeconfig, "locked": locked}}) + "\\n")
if not merge_read or effect == "none":
    os.execv(real, [real, *args])
if effect == "fail":
    print("error: the merge failed", file=sys.stderr)
    sys.exit(1)
if effect == "hang":
    pathlib.Path(record + ".inside").touch()
    time.sleep(60)
read = subprocess.run([real, *args], capture_output=True)
if effect == "concurrent-write":
    # Another kubectl writes the kubeconfig after the script read it, before the script replaces it.
    write = subprocess.run(
        [real, "config", "set-context", "concurrent", "--namespace=during"],
        env={{**os.environ, "KUBECONFIG": user_kubeconfig}}, capture_output=True, text=True,
    )
    with open(record + ".concurrent", "w", encoding="utf-8") as stream:
        json.dump({{"returncode": write.returncode, "stderr": write.stderr}}, stream)
if effect == "lock-replaced":
    # Someone removed the script's lock, and another kubectl took it: that lock is not the script's.
    os.remove(locks[0])
    os.close(os.open(locks[0], os.O_CREAT | os.O_EXCL, 0))
sys.stdout.buffer.write(read.stdout)
sys.stderr.buffer.write(read.stderr)
sys.exit(read.returncode)
"""


@dataclass(frozen=True)
class Spy:
    record: Path

    def calls(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.record.read_text(encoding="utf-8").splitlines()]

    def concurrent_write(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(Path(f"{self.record}.concurrent").read_text(encoding="utf-8"))
        return result


def add_kubectl_spy(tools: Tools, kubeconfig: Path, locks: list[Path], effect: str) -> Spy:
    real = shutil.which("kubectl")
    assert real is not None
    record = tools.records / "kubectl.jsonl"
    write_executable(
        tools.bin / "kubectl",
        KUBECTL_SPY.format(
            python=sys.executable,
            real=real,
            locks=[str(lock) for lock in locks],
            record=str(record),
            effect=effect,
            kubeconfig=str(kubeconfig),
        ),
    )
    return Spy(record)


def hold_lock(path: Path) -> None:
    """Create a lock as kubectl does: O_CREAT|O_EXCL, mode 0, empty."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0))


def test_a_concurrent_kubectl_config_write_is_never_lost(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    """The script holds kubectl's lock from its read to the replacement: another `kubectl config set-…`
    in between fails on the lock instead of being overwritten, and goes through once it is over."""
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    lock = tmp_path / "kubeconfig.lock"
    spy = add_kubectl_spy(tools, path, [lock], "concurrent-write")
    env = tools.env(home, path)

    result = run_script(rendered.script, env=env)
    assert result.returncode == 0, result.stderr
    concurrent = spy.concurrent_write()
    assert concurrent["returncode"] != 0
    assert f"{lock}: file exists" in concurrent["stderr"]
    assert not lock.exists()

    calls = spy.calls()
    probes = [call for call in calls if any(arg.startswith("go-template=") for arg in call["args"])]
    assert [call["locked"] for call in probes] == [[False], [True]], "decided before any change, and again locked"
    changes = [call for call in calls if call not in probes]
    assert changes, calls
    for call in changes:  # the merge read, the namespace and current context set in the merged copy
        assert call["locked"] == [True], call

    # Now the other write goes through, and the script's entries stay with it.
    assert kubectl("config", "set-context", "concurrent", "--namespace=after", env=env).returncode == 0
    view = kubeconfig_view(env)
    assert [context["name"] for context in view["contexts"]] == ["alpha", "concurrent", "other"]
    assert view["current-context"] == "alpha"


@pytest.mark.parametrize("flags", [[], ["--dry-run"]], ids=["run", "dry-run"])
def test_a_held_lock_stops_it_after_a_bounded_wait(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, flags: list[str]
) -> None:
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    before = path.read_bytes()
    lock = tmp_path / "kubeconfig.lock"
    hold_lock(lock)
    held = lock.stat()

    started = time.monotonic()
    result = run_script(rendered.script, *flags, env=tools.env(home, path), cwd=home)
    waited = time.monotonic() - started
    assert result.returncode == 1, result.stdout
    assert LOCK_WAIT_SECONDS <= waited < LOCK_WAIT_SECONDS + 15
    assert (
        f"error: another program is changing your kubeconfig: its lock {lock} has been there for "
        f"{LOCK_WAIT_SECONDS} seconds\n" in result.stderr
    )
    assert f"the lock is stale (left by one that was killed): remove it\nwith  rm -f -- {lock}  and" in result.stderr
    # The lock is not the script's: it stays, the very file it was.
    assert (lock.stat().st_ino, lock.stat().st_mtime_ns) == (held.st_ino, held.st_mtime_ns)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == ["kubeconfig.lock"]


def test_a_lock_released_meanwhile_is_waited_for(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    lock = tmp_path / "kubeconfig.lock"
    hold_lock(lock)
    release = threading.Timer(1.0, lock.unlink)
    release.start()
    try:
        result = run_script(rendered.script, env=tools.env(home, path))
    finally:
        release.join()
    assert result.returncode == 0, result.stderr
    assert named(kubeconfig_view(tools.env(home, path))["contexts"], "alpha")
    assert leftovers(tmp_path) == []


def test_a_failure_under_the_lock_removes_it(rendered: Rendered, tools: Tools, home: Path, tmp_path: Path) -> None:
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    before = path.read_bytes()
    lock = tmp_path / "kubeconfig.lock"
    spy = add_kubectl_spy(tools, path, [lock], "fail")
    result = run_script(rendered.script, env=tools.env(home, path))
    assert result.returncode != 0
    assert "error: the merge failed" in result.stderr
    assert spy.calls()[-1]["locked"] == [True]
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"])
def test_a_signal_under_the_lock_removes_it(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path, signal_number: int
) -> None:
    """Killed while it holds the lock (a Ctrl-C, a closed terminal): the lock and its temporary folder go,
    the kubeconfig stays as it was."""
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    before = path.read_bytes()
    lock = tmp_path / "kubeconfig.lock"
    spy = add_kubectl_spy(tools, path, [lock], "hang")
    inside = Path(f"{spy.record}.inside")
    process = subprocess.Popen(
        ["/bin/bash", str(rendered.script)],
        env=tools.env(home, path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not inside.exists():
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.05)
        assert lock.exists()
        os.killpg(process.pid, signal_number)  # as a terminal signals its foreground job
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode != 0
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_it_never_removes_a_lock_it_did_not_create(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    """Its lock removed by hand meanwhile and taken by another kubectl: that lock stays when it ends."""
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    lock = tmp_path / "kubeconfig.lock"
    add_kubectl_spy(tools, path, [lock], "lock-replaced")
    result = run_script(rendered.script, env=tools.env(home, path))
    assert result.returncode == 0, result.stderr
    assert lock.exists()
    assert lock.stat().st_size == 0 and lock.stat().st_mode & 0o777 == 0


def test_a_symlinked_kubeconfig_is_locked_by_both_of_its_names(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    """kubectl names the lock after the path it was given: the link's name (through $KUBECONFIG) and the
    file's (where another $KUBECONFIG may name it) are both held."""
    tools.add_kubelogin()
    (tmp_path / "dotfiles").mkdir()
    real = write_kubeconfig(tmp_path / "dotfiles" / "kubeconfig", UNRELATED)
    link = tmp_path / "kubeconfig"
    link.symlink_to(real)
    locks = [tmp_path / "kubeconfig.lock", tmp_path / "dotfiles" / "kubeconfig.lock"]
    spy = add_kubectl_spy(tools, link, locks, "none")
    result = run_script(rendered.script, env=tools.env(home, link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    merge_read = [call for call in spy.calls() if call["args"][1:] == ["config", "view", "--raw"]]
    assert [call["locked"] for call in merge_read] == [[True, True]]
    assert not any(lock.exists() for lock in locks)


def test_a_lock_that_is_no_regular_file_counts_as_held(
    rendered: Rendered, tools: Tools, home: Path, tmp_path: Path
) -> None:
    """Only a lock file created here is the script's: a symlink to a device that could be opened for
    writing all the same is someone else's, and stays."""
    tools.add_kubelogin()
    path = write_kubeconfig(tmp_path / "kubeconfig", UNRELATED)
    before = path.read_bytes()
    lock = tmp_path / "kubeconfig.lock"
    lock.symlink_to("/dev/null")
    result = run_script(rendered.script, env=tools.env(home, path))
    assert result.returncode == 1, result.stdout
    assert f"its lock {lock} has been there" in result.stderr
    assert lock.is_symlink()
    assert path.read_bytes() == before

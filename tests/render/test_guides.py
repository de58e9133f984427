"""The engineer guides (`DIR/README.md` and `DIR/<stack>/README.md`): each platform section as expected
(syrupy), and every command they show checked — the ```sh blocks through shellcheck and run for real
with bash and the real kubectl against a local HTTPS server (kubelogin a stand-in), the SSH forward
through `ssh -G`. The PowerShell and cmd blocks can't run here: their commands are listed in the
report of issue 15, and the merge they do is the ```sh one, run below."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from render_support import (
    FIXTURES,
    OKTA_SCOPES,
    ApiServer,
    Pki,
    Request,
    Tools,
    cluster_output,
    kubeconfig_view,
    kubectl,
    named,
    oidc_config,
    run_render,
    shellcheck,
    status,
    token_for,
    write_json,
)
from syrupy.assertion import SnapshotAssertion
from tool_support import require_tool

CONFIG = """\
version: 1
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
  okta-ports: {type: okta, prefix: "okp:", refresh_tokens: true, device_code: true}
clusters:
  alpha: {type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}
  beta: {type: eks, region: us-west-2, cluster_name: Beta, identity_providers: [okta-ports]}
"""
ISSUER = "https://acme.okta.com/oauth2/aus1a2b3c4"
UNRELATED = """\
apiVersion: v1
kind: Config
clusters:
- name: other
  cluster: {server: "https://other.invalid:6443"}
users:
- name: other
  user: {token: other-token}
contexts:
- name: other
  context: {cluster: other, user: other}
current-context: other
"""
FENCED = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PLATFORM_SECTIONS = ["Windows", "WSL", "Remote shells (SSH)"]


def blocks(text: str, *languages: str) -> list[str]:
    return [body for language, body in FENCED.findall(text) if language in languages]


def sections(text: str, level: str = "## ") -> dict[str, str]:
    """Heading → its text, for headings of exactly `level`."""
    parts = re.split(rf"^{re.escape(level)}(.+)$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "rendered"
    result = run_render(FIXTURES / "oidc.yaml", FIXTURES / "outputs.cdktf.json", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Path:
    """alpha (kubelogin's default ports) and beta (ports 8100 and 18100, refresh tokens, device code sign-in)
    on the local server."""
    folder = tmp_path_factory.mktemp("guides")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs: dict[str, Any] = {}
    for stack, cluster, ports, scopes in [
        ("alpha-okta-main", "alpha", [8000, 18000], OKTA_SCOPES),
        ("beta-okta-ports", "beta", [8100, 18100], [*OKTA_SCOPES, "offline_access"]),
    ]:
        outputs[stack] = {
            "oidc_config": oidc_config(
                client_id=f"0oa-{cluster}",
                issuer_url=ISSUER,
                prefix="okta:",
                scopes=scopes,
                redirect_uris=[f"http://localhost:{port}" for port in ports],
            ),
            "cluster": cluster_output(
                name=cluster, type="eks", location="us-west-2", endpoint=f"{server.url}/{cluster}", ca_data=pki.ca_data
            ),
        }
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out"


def namespaces_route(client_id: str) -> Any:
    def answer(api: ApiServer, request: Request) -> tuple[int, Any]:
        if request.authorization != f"Bearer {token_for(client_id)}":
            return 401, status(401, "Unauthorized")
        return 200, {
            "kind": "NamespaceList",
            "apiVersion": "v1",
            "metadata": {},
            "items": [{"metadata": {"name": "default", "creationTimestamp": "2026-01-01T00:00:00Z"}}],
        }

    return answer


@pytest.fixture
def cluster_api(api: ApiServer) -> ApiServer:
    """`kubectl get namespaces` works on /alpha and /beta with their client's token (discovery is legacy)."""
    for cluster in ("alpha", "beta"):
        api.routes[("GET", f"/{cluster}/api")] = lambda _api, _request: (
            200,
            {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
        )
        api.routes[("GET", f"/{cluster}/apis")] = lambda _api, _request: (
            200,
            {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
        )
        api.routes[("GET", f"/{cluster}/api/v1")] = lambda _api, _request: (
            200,
            {
                "kind": "APIResourceList",
                "groupVersion": "v1",
                "resources": [
                    {
                        "name": "namespaces",
                        "singularName": "namespace",
                        "namespaced": False,
                        "kind": "Namespace",
                        "verbs": ["get", "list"],
                        "shortNames": ["ns"],
                    }
                ],
            },
        )
        api.routes[("GET", f"/{cluster}/api/v1/namespaces")] = namespaces_route(f"0oa-{cluster}")
    return api


def run_block(block: str, *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", "-euo", "pipefail", "-c", block], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


# --- what they say -------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["prod-okta-main", "data-gws"])
@pytest.mark.parametrize(
    "section", ["Set up (macOS, Linux, WSL)", "Tokens: where, and for how long", *PLATFORM_SECTIONS]
)
def test_stack_guide_sections(example: Path, stack: str, section: str, snapshot: SnapshotAssertion) -> None:
    assert sections((example / stack / "README.md").read_text(encoding="utf-8"))[section] == snapshot


@pytest.mark.parametrize("section", PLATFORM_SECTIONS)
def test_readme_platform_sections(example: Path, section: str, snapshot: SnapshotAssertion) -> None:
    engineers = sections((example / "README.md").read_text(encoding="utf-8"))["For engineers: your first sign-in"]
    assert sections(engineers, "### ")[section] == snapshot


def test_token_lifetime_follows_the_pairs_scopes(rendered: Path) -> None:
    with_refresh = (rendered / "beta-okta-ports" / "README.md").read_text(encoding="utf-8")
    without = (rendered / "alpha-okta-main" / "README.md").read_text(encoding="utf-8")
    assert "gives kubelogin a refresh token" in with_refresh and "no refresh token" not in with_refresh
    assert "gives kubelogin no refresh token" in without and "renews it without a browser" not in without
    for text in (with_refresh, without):
        assert "`~/.kube/cache/oidc-login`" in text


def test_guides_carry_no_control_characters(rendered: Path, example: Path) -> None:
    for guide in [*rendered.rglob("README.md"), *example.rglob("README.md")]:
        text = guide.read_text(encoding="utf-8")
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), guide


def test_windows_section_names_every_installer_and_both_shells(rendered: Path) -> None:
    windows = sections((rendered / "alpha-okta-main" / "README.md").read_text(encoding="utf-8"))["Windows"]
    (install, powershell) = blocks(windows, "powershell")
    assert install.splitlines() == [
        "winget install int128.kubelogin",
        "scoop bucket add extras",
        "scoop install kubelogin",
        "kubectl krew install oidc-login",
        "choco install kubelogin",
    ]
    assert '$env:KUBECONFIG = "C:\\path\\to\\alpha-okta-main\\kubeconfig.yaml"' in powershell
    (cmd, merge) = blocks(windows, "bat")
    assert "set KUBECONFIG=C:\\path\\to\\alpha-okta-main\\kubeconfig.yaml" in cmd
    # The cmd merge is the ```sh one with Windows' list separator.
    assert "set KUBECONFIG=%USERPROFILE%\\.kube\\config;C:\\path\\to\\alpha-okta-main\\kubeconfig.yaml" in merge
    assert "kubectl config view --flatten > %USERPROFILE%\\.kube\\merged-config" in merge
    (posix,) = blocks(windows, "sh")
    assert 'KUBECONFIG="$HOME/.kube/config:kubeconfig.yaml" kubectl config view --flatten' in posix


# --- every command they show ---------------------------------------------------------------------


def test_every_shell_block_passes_shellcheck(rendered: Path, example: Path, tmp_path: Path) -> None:
    checked = 0
    for guide in [*rendered.rglob("README.md"), *example.rglob("README.md")]:
        for index, block in enumerate(blocks(guide.read_text(encoding="utf-8"), "sh", "bash")):
            snippet = tmp_path / f"{guide.parent.name}-{index}.sh"
            snippet.write_text("#!/usr/bin/env bash\n" + block, encoding="utf-8")
            result = shellcheck(snippet)
            assert result.returncode == 0, f"{guide}: block {index}\n{block}\n{result.stdout}"
            checked += 1
    assert checked >= 20


def test_setup_block_gives_a_working_get_namespaces(
    rendered: Path, cluster_api: ApiServer, tools: Tools, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    home = tmp_path / "home"
    home.mkdir()
    env = tools.env(home, None)
    text = (rendered / "alpha-okta-main" / "README.md").read_text(encoding="utf-8")
    setup, sign_out = blocks(text, "sh")[:2]
    assert setup.splitlines() == ["./setup-k8s-oidc.sh", "kubectl --context alpha get namespaces"]

    result = run_block(setup, cwd=rendered / "alpha-okta-main", env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^default\s+Active|^default\s", result.stdout, flags=re.MULTILINE), result.stdout
    assert cluster_api.requests[-1].path == "/alpha/api/v1/namespaces"
    cache = home / ".kube" / "cache" / "oidc-login"
    assert any(cache.iterdir()), "the stand-in kubelogin cached the token where the guide says"

    assert sign_out.strip() == "kubectl-oidc_login clean"
    result = run_block(sign_out, cwd=home, env=env)
    assert result.returncode == 0, result.stderr
    assert not cache.exists(), "clean deletes the token cache"


def test_wsl_and_remote_blocks_reach_the_cluster(
    rendered: Path, cluster_api: ApiServer, tools: Tools, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    home = tmp_path / "home"
    home.mkdir()
    kubeconfig = home / ".kube" / "config"
    env = tools.env(home, None)
    assert run_block("./setup-k8s-oidc.sh", cwd=rendered / "beta-okta-ports", env=env).returncode == 0
    assert kubeconfig.exists()
    guide = sections((rendered / "beta-okta-ports" / "README.md").read_text(encoding="utf-8"))
    (wsl,) = blocks(guide["WSL"], "sh")
    device, ssh, remote = blocks(guide["Remote shells (SSH)"], "sh")
    assert device.strip() == "kubectl --context beta-device get namespaces"
    for block in (wsl, remote, device):
        result = run_block(block, cwd=home, env=env)
        assert result.returncode == 0, result.stderr
        assert "default" in result.stdout
    assert cluster_api.requests[-1].authorization == f"Bearer {token_for('0oa-beta')}"
    assert ssh.startswith("ssh -L 8100:localhost:8100 ")


@pytest.mark.parametrize(("stack", "ports"), [("alpha-okta-main", [8000, 18000]), ("beta-okta-ports", [8100, 18100])])
def test_ssh_forward_carries_the_pairs_redirect_ports(rendered: Path, stack: str, ports: list[int]) -> None:
    require_tool("ssh")
    guide = sections((rendered / stack / "README.md").read_text(encoding="utf-8"))
    (ssh,) = [block for block in blocks(guide["Remote shells (SSH)"], "sh") if block.startswith("ssh ")]
    words = shlex.split(ssh)
    assert words[0] == "ssh"
    # `ssh -G` resolves the options and prints them without connecting.
    result = subprocess.run(["ssh", "-G", *words[1:]], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    forwards = [line for line in result.stdout.splitlines() if line.startswith("localforward ")]
    assert forwards == [f"localforward {port} [localhost]:{port}" for port in ports]
    assert f"it prints `http://localhost:{ports[0]}`" in guide["Remote shells (SSH)"]


def test_posix_merge_keeps_both_kubeconfigs(
    rendered: Path, cluster_api: ApiServer, tools: Tools, tmp_path: Path
) -> None:
    """The guide's merge of the standalone kubeconfig into an existing one, run as shown: both stay."""
    tools.add_kubelogin()
    home = tmp_path / "home"
    (home / ".kube").mkdir(parents=True)
    existing = home / ".kube" / "config"
    existing.write_text(UNRELATED, encoding="utf-8")
    env = tools.env(home, None)
    before = kubeconfig_view(env)
    windows = sections((rendered / "alpha-okta-main" / "README.md").read_text(encoding="utf-8"))["Windows"]
    (merge,) = blocks(windows, "sh")

    result = run_block(merge, cwd=rendered / "alpha-okta-main", env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\*?\s*other\s", result.stdout, flags=re.MULTILINE), result.stdout
    assert re.search(r"^\s*alpha\s", result.stdout, flags=re.MULTILINE), result.stdout
    listed = kubectl("--kubeconfig", str(existing), "config", "get-contexts", "-o", "name", env=env)
    assert listed.stdout.split() == ["alpha", "other"]
    after = kubeconfig_view(env)
    assert after["current-context"] == "other", "the existing kubeconfig's current context wins"
    for section in ("clusters", "users", "contexts"):
        assert named(after[section], "other") == named(before[section], "other")
    assert (home / ".kube" / "config.before-k8s-oidc").read_text(encoding="utf-8") == UNRELATED
    got = kubectl("--context", "alpha", "get", "namespaces", env=env)
    assert got.returncode == 0, got.stderr
    assert shutil.which("kubectl-oidc_login", path=env["PATH"])


# --- device code sign-in (`device_code: true`) ---------------------------------------------------


def test_device_code_adds_a_second_context_to_the_kubeconfig_and_scripts(
    rendered: Path, cluster_api: ApiServer, tools: Tools, tmp_path: Path
) -> None:
    tools.add_kubelogin()
    home = tmp_path / "home"
    home.mkdir()
    env = tools.env(home, None)
    standalone = kubeconfig_view(tools.env(home, rendered / "beta-okta-ports" / "kubeconfig.yaml"))
    assert [context["name"] for context in standalone["contexts"]] == ["beta", "beta-device"]
    assert standalone["current-context"] == "beta", "the browser sign-in stays the default"
    browser = named(standalone["users"], "beta")["user"]["exec"]["args"]
    device = named(standalone["users"], "beta-device")["user"]["exec"]["args"]
    assert device == [*browser, "--grant-type=device-code"]
    assert "--grant-type=device-code" not in browser
    assert named(standalone["clusters"], "beta-device")["cluster"] == named(standalone["clusters"], "beta")["cluster"]
    # alpha's IdP did not opt in: no device context anywhere of it.
    alpha = kubeconfig_view(tools.env(home, rendered / "alpha-okta-main" / "kubeconfig.yaml"))
    assert [context["name"] for context in alpha["contexts"]] == ["alpha"]
    assert "device" not in (rendered / "alpha-okta-main" / "README.md").read_text(encoding="utf-8")

    for script in ("beta-okta-ports/setup-k8s-oidc.sh", "all-clusters/okta-ports.sh"):
        result = run_block(f"./{script}", cwd=rendered, env=env)
        assert result.returncode == 0, result.stderr
        assert "beta-device" in result.stdout
        view = kubeconfig_view(env)
        assert [context["name"] for context in view["contexts"]] == ["beta", "beta-device"]
    got = kubectl("--context", "beta-device", "get", "namespaces", env=env)
    assert got.returncode == 0, got.stderr
    assert tools.record_of("kubelogin")[-1] == device

"""Values with quotes, `$(…)`, backticks, backslashes, `%` and spaces in every output that reaches a
script: nothing executes, and each value reaches kubectl, kubelogin and the GKE API exactly as the
outputs hold it — or the render refuses it with exit status 2, naming the stack and field. (Control
characters, newlines among them, are refused in any output: tests/render/test_output_checks.py.)"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from gke_api import CLIENT_CONFIG_PATH, admin_kubeconfig, patches, serve_gke
from render_support import (
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
    write_json,
)

CONFIG = """\
version: 1
identity_providers:
  okta-main: {type: okta}
clusters:
  alpha: {type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}
  beta: {type: gke, project: acme-beta, location: us-west1, cluster_name: beta, identity_providers: [okta-main]}
access:
  - {identity_provider: okta-main, group: k8s-admins, cluster_role: view}
"""


@dataclass(frozen=True)
class Hostile:
    marker: Path
    """Created by any of the payloads if it ever runs."""

    def text(self, label: str) -> str:
        """Free text: every shell metacharacter and spaces."""
        return (
            f"{label} \"dq\" 'sq' $(touch {self.marker}) `touch {self.marker}` \\ ; touch {self.marker} # "
            f"line2 $((1+1)) ${{HOME}} !! %s %q"
        )

    def url_path(self, label: str) -> str:
        """A URL path: the same payloads without whitespace (an URL with spaces is refused)."""
        return f"/{label}\"dq\"'sq'$(touch${{IFS}}{self.marker})`touch${{IFS}}{self.marker}`\\;%41"

    def scope(self) -> str:
        """An OAuth scope token: no spaces, quotes, commas or backslashes are possible there."""
        return f"$(touch${{IFS}}{self.marker})`touch${{IFS}}{self.marker}`"


@dataclass(frozen=True)
class Rendered:
    out: Path
    hostile: Hostile
    outputs: dict[str, Any]

    def oidc(self, stack: str) -> dict[str, Any]:
        value: dict[str, Any] = self.outputs[stack]["oidc_config"]
        return value

    def expected_args(self, stack: str) -> list[str]:
        oidc = self.oidc(stack)
        return [
            "get-token",
            f"--oidc-issuer-url={oidc['issuer_url']}",
            f"--oidc-client-id={oidc['client_id']}",
            f"--oidc-client-secret={self.outputs[stack]['oidc_client_secret']}",
            # kubelogin asks for openid itself (contract 5, round 3).
            *[f"--oidc-extra-scope={scope}" for scope in oidc["scopes"] if scope != "openid"],
            "--oidc-pkce-method=S256",
        ]


def hostile_outputs(hostile: Hostile, server: ApiServer, pki: Pki) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    for cluster_key, cluster_type in (("alpha", "eks"), ("beta", "gke")):
        stack = f"{cluster_key}-okta-main"
        oidc = oidc_config(
            client_id=hostile.text(f"client-{cluster_key}"),
            issuer_url="https://issuer.example" + hostile.url_path("issuer"),
            prefix=hostile.text("prefix"),
            scopes=["openid", hostile.scope()],
            requires_client_secret=True,
            user_claim=hostile.text("user-claim"),
            groups_claim=hostile.text("groups-claim"),
        )
        oidc["groups_prefix"] = hostile.text("groups-prefix")
        outputs[stack] = {
            "oidc_config": oidc,
            "oidc_client_secret": hostile.text("secret"),
            "cluster": cluster_output(
                name=hostile.text("name"),
                type=cluster_type,
                location=hostile.text("location"),
                endpoint=server.url + hostile.url_path(cluster_key),
                ca_data=pki.ca_data,
            ),
        }
    return outputs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("hostile")
    hostile = Hostile(Path("/tmp") / f"pwned-{uuid.uuid4().hex}")
    config = folder / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    outputs = hostile_outputs(hostile, server, pki)
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return Rendered(folder / "out", hostile, outputs)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def nothing_executes(rendered: Rendered) -> Any:
    yield
    assert not rendered.hostile.marker.exists(), "a value from the outputs was executed"


def test_scripts_pass_shellcheck(rendered: Rendered) -> None:
    scripts = sorted(rendered.out.rglob("*.sh"))
    assert len(scripts) == 4  # two stacks, one all-clusters, one GKE admin
    for script in scripts:
        result = shellcheck(script)
        assert result.returncode == 0, result.stdout


def test_values_reach_kubectl_and_kubelogin_exactly(
    rendered: Rendered, api: ApiServer, tools: Tools, home: Path
) -> None:
    tools.add_kubelogin()
    env = tools.env(home, home / "kubeconfig")
    for stack in ("alpha-okta-main", "beta-okta-main"):
        result = run_script(rendered.out / stack / "setup-k8s-oidc.sh", env=env)
        assert result.returncode == 0, result.stderr
    view = kubeconfig_view(env)
    for stack, context in (("alpha-okta-main", "alpha"), ("beta-okta-main", "beta")):
        cluster = rendered.outputs[stack]["cluster"]
        assert named(view["clusters"], context)["cluster"] == {
            "server": cluster["endpoint"],
            "certificate-authority-data": cluster["certificate_authority_data"],
        }
        assert named(view["users"], context)["user"]["exec"]["args"] == rendered.expected_args(stack)

        # The server sees the path %-decoded, as any server does.
        api.tokens[unquote(cluster["endpoint"].removeprefix(api.url))] = {token_for(rendered.oidc(stack)["client_id"])}
        version = kubectl("--context", context, "version", "-o", "json", env=env)
        assert version.returncode == 0, version.stderr
        assert tools.record_of("kubelogin")[-1] == rendered.expected_args(stack)


def test_standalone_kubeconfig_holds_the_values_exactly(rendered: Rendered, tools: Tools, home: Path) -> None:
    tools.add_kubelogin()  # gcloud's kubectl dispatcher runs the current context's credential plugin
    env = tools.env(home, rendered.out / "alpha-okta-main" / "kubeconfig.yaml")
    view = kubeconfig_view(env)
    assert named(view["users"], "alpha")["user"]["exec"]["args"] == rendered.expected_args("alpha-okta-main")
    assert (
        named(view["clusters"], "alpha")["cluster"]["server"]
        == rendered.outputs["alpha-okta-main"]["cluster"]["endpoint"]
    )


def test_all_clusters_script_and_help(rendered: Rendered, tools: Tools, home: Path) -> None:
    tools.add_kubelogin()
    env = tools.env(home, home / "kubeconfig")
    for script in sorted(rendered.out.rglob("*.sh")):
        shown = run_script(script, "--help", env=env)
        assert shown.returncode == 0, shown.stderr
    assert (
        rendered.hostile.text("name")
        in run_script(rendered.out / "alpha-okta-main" / "setup-k8s-oidc.sh", "--help", env=env).stdout
    )
    for flags in (["--dry-run"], []):
        result = run_script(rendered.out / "all-clusters" / "okta-main.sh", *flags, env=env)
        assert result.returncode == 0, result.stderr
    assert [context["name"] for context in kubeconfig_view(env)["contexts"]] == ["alpha", "beta"]


def test_values_reach_the_client_config_exactly(
    rendered: Rendered, api: ApiServer, pki: Pki, tools: Tools, home: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "enabled"
    marker.touch()
    serve_gke(api, marker)
    env = tools.env(home, admin_kubeconfig(api, pki.ca_data, tmp_path / "admin"))
    result = run_script(rendered.out / "admin" / "beta" / "configure-identity-service.sh", "--yes", env=env)
    assert result.returncode == 0, result.stderr
    oidc = rendered.oidc("beta-okta-main")
    ((_, _, body),) = [patch for patch in patches(api) if patch[0] == CLIENT_CONFIG_PATH]
    assert body == {
        "spec": {
            "authentication": [
                {
                    "name": "okta-main",
                    "oidc": {
                        "clientID": oidc["client_id"],
                        "clientSecret": rendered.outputs["beta-okta-main"]["oidc_client_secret"],
                        "issuerURI": oidc["issuer_url"],
                        "kubectlRedirectURI": "http://localhost:8000",
                        "scopes": ",".join(oidc["scopes"]),
                        "userClaim": oidc["user_claim"],
                        "groupsClaim": oidc["groups_claim"],
                        "userPrefix": oidc["username_prefix"],
                        "groupPrefix": oidc["groups_prefix"],
                    },
                }
            ]
        }
    }


def test_rbac_subjects_keep_the_prefix_exactly(rendered: Rendered) -> None:
    import yaml

    (binding,) = yaml.safe_load_all((rendered.out / "alpha-okta-main" / "rbac.yaml").read_text(encoding="utf-8"))
    assert binding["subjects"][0]["name"] == rendered.oidc("alpha-okta-main")["groups_prefix"] + "k8s-admins"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer_url", "https://issuer.example/a\nb", "holds the control character U+000A at index 24"),
        ("issuer_url", "https://issuer.example/a b", "must be an https:// URL with a host, no whitespace"),
        (
            "issuer_url",
            "https://issuer.example/%s",
            "must be an https:// URL with a host, no whitespace and only valid",
        ),
        ("scopes", ["openid", "a b"], "must be an OAuth scope without spaces, quotes, commas or backslashes"),
        ("scopes", ["openid", 'a"b'], "must be an OAuth scope without spaces, quotes, commas or backslashes"),
        ("scopes", ["openid", "a,b"], "must be an OAuth scope without spaces, quotes, commas or backslashes"),
        ("client_id", "a\x00b", "holds the control character U+0000 at index 1"),
        ("client_id", "a\ud800b", "holds an unpaired surrogate U+D800 at index 1"),
        ("redirect_uris", ["http://localhost:8000/$(id)"], "must be http://localhost:<port>"),
    ],
)
def test_unrepresentable_values_are_refused(
    rendered: Rendered, tmp_path: Path, field: str, value: Any, message: str
) -> None:
    outputs = {stack: {**values} for stack, values in rendered.outputs.items()}
    outputs["beta-okta-main"]["oidc_config"] = {**rendered.oidc("beta-okta-main"), field: value}
    config = tmp_path / "oidc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    result = run_render(config, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out")
    assert result.returncode == 2
    path = f"beta-okta-main.oidc_config.{field}" + ("[1]" if field == "scopes" else "[0]" if "uris" in field else "")
    assert f"{path}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()

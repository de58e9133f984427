"""Rules of the render step itself: no cdktf, jsii or provider code; templates loaded once; no
subprocesses; every value in a shell template quoted; YAML that kubectl reads back exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_support import FIXTURES, PROJECT_ROOT, kubeconfig_view

from render import render_step, templates
from render.inputs import OidcLogin
from render.kubeconfig import exec_args
from render.yaml_text import dump_yaml, dump_yaml_documents
from stacks.config import load_config

IMPORT_PROBE = """
import sys
from pathlib import Path
from stacks.config import load_config
from render.render_step import render
config = load_config(Path(sys.argv[1]))
render(config, outputs=Path(sys.argv[2]), client_configs={}, out_dir=Path(sys.argv[3]), log=lambda line: None)
loaded = {}
for name, module in sys.modules.items():
    top = name.split(".")[0]
    if top in ("cdktf", "jsii", "constructs") or top.startswith("cdktf_cdktf_provider_"):
        # constructs_lib registers each provider package as an empty placeholder (its code unrun) when
        # anything under it is imported, the config model included; a placeholder holds no names.
        code_ran = "." in name or any(not key.startswith("__") for key in vars(module))
        loaded[name] = code_ran
print(__import__("json").dumps(loaded))
"""


def test_render_imports_no_cdktf_jsii_or_provider_code(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_PROBE,
            str(FIXTURES / "oidc.yaml"),
            str(FIXTURES / "outputs.cdktf.json"),
            str(tmp_path / "out"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "README.md").is_file()
    loaded: dict[str, bool] = json.loads(result.stdout)
    assert [name for name, code_ran in loaded.items() if code_ran] == []
    assert not {"cdktf", "jsii", "constructs"} & set(loaded)


def test_render_loads_no_template_and_runs_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the render step must not load templates per run or start processes")

    config = load_config(FIXTURES / "oidc.yaml")
    monkeypatch.setattr(jinja2.Environment, "get_template", forbidden)
    monkeypatch.setattr(jinja2.Environment, "_load_template", forbidden)
    monkeypatch.setattr(subprocess.Popen, "__init__", forbidden)
    render_step.render(
        config, outputs=FIXTURES / "outputs.cdktf.json", client_configs={}, out_dir=tmp_path / "out", log=print
    )
    assert (tmp_path / "out" / "README.md").is_file()


def test_shell_templates_refuse_unquoted_values() -> None:
    environment = templates.DEVELOPER_SCRIPT.environment
    with pytest.raises(jinja2.TemplateRuntimeError, match="unquoted value in a shell template"):
        environment.from_string("x={{ value }}").render(value="$(id)")
    assert (
        environment.from_string("x={{ value | shell_quote }}").render(value="$(id) 'q'") == "x='$(id) '\"'\"'q'\"'\"''"
    )
    with pytest.raises(jinja2.TemplateRuntimeError, match="shell_quote takes strings and integers"):
        environment.from_string("x={{ value | shell_quote }}").render(value=None)
    with pytest.raises(jinja2.UndefinedError):
        environment.from_string("x={{ missing | shell_quote }}").render()


# --- YAML -----------------------------------------------------------------------------------------

# Any text a JSON string can hold, except NUL and lone surrogates (the render refuses those).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
DATA = st.recursive(
    st.none() | st.booleans() | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(ANY_TEXT, DATA, max_size=5))
def test_yaml_reads_back_as_written(data: dict[str, Any]) -> None:
    import yaml

    assert yaml.safe_load(dump_yaml(data)) == data
    assert list(yaml.safe_load_all(dump_yaml_documents([data, data]))) == [data, data]


@settings(max_examples=15, deadline=None)
@given(st.lists(ANY_TEXT, min_size=1, max_size=25))
def test_kubectl_reads_exec_args_back_exactly(tmp_path_factory: pytest.TempPathFactory, args: list[str]) -> None:
    folder = tmp_path_factory.mktemp("yaml")
    kubeconfig = folder / "kubeconfig"
    kubeconfig.write_text(
        dump_yaml(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "users": [
                    {
                        "name": "u",
                        "user": {
                            "exec": {
                                "apiVersion": "client.authentication.k8s.io/v1",
                                "command": "kubectl",
                                "args": args,
                                "interactiveMode": "IfAvailable",
                            }
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    view = kubeconfig_view({"KUBECONFIG": str(kubeconfig), "HOME": str(folder), "PATH": "/usr/bin:/bin"})
    assert view["users"][0]["user"]["exec"]["args"] == args


def test_kubelogin_listens_on_the_registered_ports() -> None:
    def settings(*ports: int) -> OidcLogin:
        return OidcLogin(
            client_id="c",
            client_secret=None,
            issuer_url="https://issuer.example",
            user_claim="email",
            groups_claim=None,
            username_prefix="p:",
            groups_prefix="p:",
            scopes=["openid"],
            pkce_method="S256",
            redirect_uris=[f"http://localhost:{port}" for port in ports],
            requires_client_secret=False,
        )

    # kubelogin's own default ports need no flag: the contract's exact arguments.
    assert exec_args(settings(8000, 18000))[-1] == "--oidc-pkce-method=S256"
    assert exec_args(settings(9000, 19000))[-3:] == [
        "--oidc-pkce-method=S256",
        "--listen-address=127.0.0.1:9000",
        "--listen-address=127.0.0.1:19000",
    ]

"""Rules of the render step itself (its layering is tests/test_layering.py): templates loaded once; no
subprocesses; every value in a shell template quoted; YAML that kubectl reads back exactly."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_support import FIXTURES, kubeconfig_view

from render import developer_files, render_step
from render.kubeconfig import exec_args
from render.outputs_reader import OutputsFiles
from render.pair_outputs import OidcLogin
from render.yaml_text import dump_yaml, dump_yaml_documents
from stacks.config import load_config


def test_render_loads_no_template_and_runs_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the render step must not load templates per run or start processes")

    config = load_config(FIXTURES / "oidc.yaml")
    monkeypatch.setattr(jinja2.Environment, "get_template", forbidden)
    monkeypatch.setattr(jinja2.Environment, "_load_template", forbidden)
    monkeypatch.setattr(subprocess.Popen, "__init__", forbidden)
    render_step.render(
        config,
        outputs=OutputsFiles(FIXTURES / "outputs.cdktf.json"),
        client_configs={},
        out_dir=tmp_path / "out",
        log=print,
    )
    assert (tmp_path / "out" / "README.md").is_file()


def test_shell_templates_refuse_unquoted_values() -> None:
    environment = developer_files.SETUP_SCRIPT_TEMPLATE.environment
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

"""The developers' files (render/developer_files.py): which files a pair gets and their modes, and the
setup script's kubelogin command, which render/kubeconfig.py owns — the template writes no name of its
own. What the scripts do is tested with real bash and kubectl in test_developer_script*.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_support import FIXTURES

from render import developer_files, kubeconfig
from render.developer_files import all_clusters_scripts, stack_files
from render.inputs import read_inputs
from render.outputs_reader import OutputsFiles
from render.pairs import RenderedPairs, rendered_pairs
from stacks.config import load_config


def example_pairs() -> RenderedPairs:
    config = load_config(FIXTURES / "oidc.yaml")
    inputs = read_inputs(config, OutputsFiles(FIXTURES / "outputs.cdktf.json"), {})
    return rendered_pairs(config, inputs.pairs, {})


def test_a_pair_gets_its_script_kubeconfig_and_rbac_a_secret_only_its_owner_reads() -> None:
    pairs = {pair.stack: pair for pair in example_pairs().pairs}
    assert {path: file.mode for path, file in stack_files(pairs["prod-okta-main"]).items()} == {
        "prod-okta-main/setup-k8s-oidc.sh": 0o755,
        "prod-okta-main/kubeconfig.yaml": 0o644,
        "prod-okta-main/rbac.yaml": 0o644,
    }
    # Google Workspace: its client secret is in the script and the kubeconfig, not in the RBAC.
    assert {path: file.mode for path, file in stack_files(pairs["data-gws"]).items()} == {
        "data-gws/setup-k8s-oidc.sh": 0o700,
        "data-gws/kubeconfig.yaml": 0o600,
        "data-gws/rbac.yaml": 0o644,
    }


def test_an_idps_script_for_all_its_clusters() -> None:
    scripts = all_clusters_scripts(example_pairs().by_idp)
    assert {path: file.mode for path, file in scripts.items()} == {
        "all-clusters/okta-main.sh": 0o755,
        "all-clusters/gws.sh": 0o700,
    }
    assert "readonly SCRIPT_NAME=okta-main.sh\n" in scripts["all-clusters/okta-main.sh"].text


def test_the_kubelogin_command_is_render_kubeconfigs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renamed where kubeconfig.py owns it, it changes in every place the script names it: the template
    itself spells out none (the name stays only in the hint, a text of kubeconfig.py's own)."""
    monkeypatch.setattr(kubeconfig, "KUBELOGIN_COMMAND", "kubelogin-renamed")
    monkeypatch.setattr(developer_files, "KUBELOGIN_COMMAND", "kubelogin-renamed")
    for module in (kubeconfig, developer_files):
        monkeypatch.setattr(module, "KUBELOGIN_INSTALL_HINT", "install kubelogin")
    pair = next(pair for pair in example_pairs().pairs if pair.stack == "prod-okta-main")
    script = developer_files.developer_script([pair], script_name="x.sh", title="t", default_context=pair.context)
    assert "kubectl-oidc_login" not in script
    assert "  if kubelogin-renamed --help >/dev/null 2>&1; then\n" in script
    assert "  readonly QUOTED_KUBELOGIN_COMMAND='\"kubelogin-renamed\"'\n" in script
    assert "      command: kubelogin-renamed\n" in script


def test_the_templates_folder_spells_out_no_kubelogin_command() -> None:
    """The same, for every part of the setup template (including the workforce part, which the example
    above doesn't render)."""
    folder = Path(developer_files.__file__).parent / "templates"
    parts = [folder / "setup-k8s-oidc.sh.jinja", *sorted((folder / "setup-k8s-oidc").glob("*.jinja"))]
    assert len(parts) == 4
    for part in parts:
        assert kubeconfig.KUBELOGIN_COMMAND not in part.read_text(encoding="utf-8"), part.name

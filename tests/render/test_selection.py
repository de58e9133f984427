"""`render --stacks GLOB …` with either input: only the matching pair stacks are rendered (their folders,
the README, the all-clusters scripts and admin files name only those), so clusters roll out one by one;
a glob that matches no pair stack of the config is bad input."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from render_support import FIXTURES, write_json
from terraform_cloud_api import (
    ORGANIZATION,
    OUTPUTS,
    FakeTerraformCloud,
    cli_env,
    cloud_config,
    fake_terraform_cloud,
    home_with_token,
    render_cli,
)

from render.selection import select_pair_stacks
from stacks.config import parse_config
from stacks.errors import UserError

# The example config with a second IdP on the GKE cluster: its admin script covers both.
TWO_IDP_GKE = (
    (FIXTURES / "oidc.yaml")
    .read_text(encoding="utf-8")
    .replace("identity_providers: [gws]", "identity_providers: [gws, okta-main]")
)


def two_idp_outputs() -> dict[str, Any]:
    outputs = copy.deepcopy(OUTPUTS)
    outputs["data-okta-main"] = {
        "oidc_config": OUTPUTS["prod-okta-main"]["oidc_config"],
        "cluster": OUTPUTS["data-gws"]["cluster"],
    }
    return outputs


def files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def test_only_the_matching_pairs_are_rendered_from_an_outputs_file(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = render_cli(
        FIXTURES / "oidc.yaml",
        out,
        "--outputs",
        str(FIXTURES / "outputs.cdktf.json"),
        "--stacks",
        "prod-*",
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    assert files(out) == {
        ".k8s-oidc-render",
        "README.md",
        "all-clusters/okta-main.md",
        "all-clusters/okta-main.sh",
        "prod-okta-main/README.md",
        "prod-okta-main/setup-k8s-oidc.sh",
        "prod-okta-main/kubeconfig.yaml",
        "prod-okta-main/rbac.yaml",
    }
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "prod-okta-main" in readme
    assert "data" not in readme.replace("metadata", "")
    assert "gws" not in readme
    assert "wrote 7 files for 1 stacks" in result.stderr


def test_pairs_left_out_need_no_outputs(tmp_path: Path) -> None:
    """Rolling out cluster by cluster: the other pairs aren't deployed yet."""
    only_data = write_json(tmp_path / "outputs.json", {"data-gws": OUTPUTS["data-gws"]})
    out = tmp_path / "rendered"
    result = render_cli(
        FIXTURES / "oidc.yaml", out, "--outputs", str(only_data), "--stacks", "data-gws", env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert {name.split("/")[0] for name in files(out)} == {
        ".k8s-oidc-render",
        "README.md",
        "all-clusters",
        "data-gws",
        "admin",
    }
    assert (out / "all-clusters" / "gws.sh").is_file()
    assert (out / "all-clusters" / "gws.md").is_file()
    assert not (out / "all-clusters" / "okta-main.sh").exists()
    assert not (out / "all-clusters" / "okta-main.md").exists()
    # Without --stacks the same file is refused: every pair of the config needs its outputs.
    refused = render_cli(FIXTURES / "oidc.yaml", tmp_path / "all", "--outputs", str(only_data), env=dict(os.environ))
    assert refused.returncode == 2
    assert (
        "prod-okta-main: no outputs for this pair stack of the config: deploy it first, or render only the pair "
        "stacks that are deployed with --stacks 'GLOB' … (here: --stacks data-gws)\n"
    ) in refused.stderr


def test_a_glob_matching_no_pair_stack_is_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = render_cli(
        FIXTURES / "oidc.yaml",
        out,
        "--outputs",
        str(FIXTURES / "outputs.cdktf.json"),
        "--stacks",
        "prod-*",
        "staging-*",
        env=dict(os.environ),
    )
    assert result.returncode == 2
    assert "error: command line: --stacks: 'staging-*' matches no pair stack of" in result.stderr
    assert "(its pair stacks: prod-okta-main, data-gws)" in result.stderr
    assert not out.exists()


def test_a_partial_gke_admin_script_is_warned_about(tmp_path: Path) -> None:
    config = tmp_path / "oidc.yaml"
    config.write_text(TWO_IDP_GKE, encoding="utf-8")
    outputs = write_json(tmp_path / "outputs.json", two_idp_outputs())
    out = tmp_path / "rendered"
    partial = render_cli(config, out, "--outputs", str(outputs), "--stacks", "data-gws", env=dict(os.environ))
    assert partial.returncode == 0, partial.stderr
    warning = (
        "data: admin/data/configure-identity-service.sh configures gws only, of the cluster's IdPs gws, okta-main: "
        "applying it removes the others from its ClientConfig"
    )
    assert warning in partial.stderr
    assert warning in (out / "README.md").read_text(encoding="utf-8")
    whole = render_cli(config, out, "--outputs", str(outputs), "--stacks", "data-*", env=dict(os.environ))
    assert whole.returncode == 0, whole.stderr
    assert "removes the others" not in whole.stderr


def test_globs_select_in_config_order_once_each(tmp_path: Path) -> None:
    config = parse_config(TWO_IDP_GKE, tmp_path / "oidc.yaml")
    assert select_pair_stacks(config, ["data-*", "*-okta-main"]) == ["prod-okta-main", "data-gws", "data-okta-main"]
    assert select_pair_stacks(config, ["data-gws"]) == ["data-gws"]
    with pytest.raises(UserError) as raised:
        select_pair_stacks(config, ["DATA-*", "data-cluster"])
    assert [problem.path for problem in raised.value.problems] == ["--stacks", "--stacks"]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with fake_terraform_cloud(tmp_path_factory.mktemp("tfc")) as api:
        yield api


def test_only_the_matching_workspaces_are_read_from_terraform_cloud(cloud: FakeTerraformCloud, tmp_path: Path) -> None:
    cloud.reset()
    # Only prod's workspace exists: data's isn't even created yet.
    cloud.workspaces["k8s-oidc-prod-okta-main"] = OUTPUTS["prod-okta-main"]
    out = tmp_path / "rendered"
    result = render_cli(
        cloud_config(tmp_path, cloud.hostname),
        out,
        "--from-terraform-cloud",
        "--stacks",
        "prod-okta-main",
        env=cli_env(cloud, home_with_token(tmp_path, cloud.hostname)),
    )
    assert result.returncode == 0, result.stderr
    assert {path.split("/")[-1] for path in cloud.paths() if "/workspaces/" in path and "organizations" in path} == {
        "k8s-oidc-prod-okta-main"
    }
    assert all(f"organizations/{ORGANIZATION}/workspaces/k8s-oidc-data" not in path for path in cloud.paths())
    assert "prod-okta-main" in {name.split("/")[0] for name in files(out)}
    assert not (out / "data-gws").exists()

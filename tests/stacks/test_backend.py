"""Backends (contract 4): Terraform Cloud with a workspace per stack, or local state in the project
root by a path relative to the stack's folder."""

from __future__ import annotations

from pathlib import Path

from synth_support import config_from_text, synth_config

CLOUD = """\
version: 1
backend: {type: cloud, organization: acme, workspace_prefix: k8s-, hostname: tfe.example.com}
identity_providers:
  jc: {type: jumpcloud, client_id: abc}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
  demo:
    type: eks
    region: us-west-2
    create:
      kubernetes_version: "1.33"
      availability_zones: [us-west-2a, us-west-2b]
      public_access_cidrs: [203.0.113.0/24]
    identity_providers: [jc]
"""


def test_cloud_backend_names_one_workspace_per_stack(tmp_path: Path) -> None:
    stacks = synth_config(config_from_text(CLOUD, tmp_path), tmp_path / "out", project_root=tmp_path)
    bootstrap = stacks.pop("terraform-cloud")
    assert set(stacks) == {"prod-jc", "demo-cluster", "demo-jc"}
    for name, stack in stacks.items():
        cloud = stack["terraform"]["cloud"]  # type: ignore[index]
        assert cloud == {"hostname": "tfe.example.com", "organization": "acme", "workspaces": {"name": f"k8s-{name}"}}
        assert "backend" not in stack["terraform"]  # type: ignore[operator]
    # The stack that makes those workspaces keeps its own state locally, and talks to the same host.
    assert bootstrap["terraform"]["backend"] == {"local": {"path": "../../../terraform.terraform-cloud.tfstate"}}  # type: ignore[index]
    assert bootstrap["provider"] == {"tfe": [{"hostname": "tfe.example.com", "organization": "acme"}]}


def test_cross_stack_reference_reads_the_cluster_stacks_workspace(tmp_path: Path) -> None:
    stacks = synth_config(config_from_text(CLOUD, tmp_path), tmp_path / "out", project_root=tmp_path)
    (remote,) = stacks["demo-jc"]["data"]["terraform_remote_state"].values()  # type: ignore[index]
    assert remote["backend"] == "remote"
    assert remote["config"]["organization"] == "acme"
    assert remote["config"]["workspaces"] == {"name": "k8s-demo-cluster"}


def test_local_state_stays_outside_the_synth_folder_wherever_it_is(tmp_path: Path) -> None:
    text = CLOUD.replace(
        "backend: {type: cloud, organization: acme, workspace_prefix: k8s-, hostname: tfe.example.com}\n", ""
    )
    outdir = tmp_path / "build" / "deep" / "cdktf.out"
    outdir.mkdir(parents=True)
    stacks = synth_config(config_from_text(text, tmp_path), outdir, project_root=tmp_path)
    path = stacks["prod-jc"]["terraform"]["backend"]["local"]["path"]  # type: ignore[index]
    assert path == "../../../../../terraform.prod-jc.tfstate"
    assert (outdir / "stacks" / "prod-jc" / path).resolve() == tmp_path / "terraform.prod-jc.tfstate"

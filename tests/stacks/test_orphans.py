"""The orphan guard (contract 2): a stack the config no longer makes is dropped only when its local state
owns nothing; a Terraform Cloud workspace gets a warning. The state written by a real `terraform apply`
is checked in tests/checks/test_terraform_aws.py; here the rules, on state files shaped like terraform's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from time_guard import within

from stacks.config import Config, parse_config
from stacks.errors import UserError
from stacks.input_files import MAX_INPUT_BYTES
from stacks.orphans import cdktf_cli_removes_stale_folders, check_stale_stacks

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG = """\
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: abc}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
"""


def state(*resources: dict[str, Any]) -> str:
    """A state file as terraform writes it (format version 4)."""
    return json.dumps(
        {
            "version": 4,
            "terraform_version": "1.11.4",
            "serial": 3,
            "lineage": "x",
            "outputs": {},
            "resources": list(resources),
        }
    )


MANAGED = {
    "mode": "managed",
    "type": "aws_eks_identity_provider_config",
    "name": "trust",
    "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
    "instances": [{"schema_version": 0, "attributes": {"id": "gone:okta"}}],
}
DATA = {**MANAGED, "mode": "data", "type": "aws_eks_cluster", "name": "cluster"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "oidc.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def config(project: Path, text: str = CONFIG) -> Config:
    return parse_config(text, project / "oidc.yaml")


def earlier_stack(project: Path, name: str, document: dict[str, Any] | None = None) -> Path:
    folder = project / "cdktf.out" / "stacks" / name
    folder.mkdir(parents=True)
    (folder / "cdk.tf.json").write_text(json.dumps(document or {"terraform": {"backend": {"local": {}}}}), "utf-8")
    return folder


def check(project: Path, text: str = CONFIG) -> Any:
    return check_stale_stacks(config(project, text), outdir=project / "cdktf.out", project_root=project)


def test_a_dropped_stack_whose_state_lists_resources_stops_synth_naming_it_and_the_fix(project: Path) -> None:
    earlier_stack(project, "gone-jc")
    (project / "terraform.gone-jc.tfstate").write_text(state(MANAGED, DATA), encoding="utf-8")
    with pytest.raises(UserError) as error:
        check(project)
    assert error.value.source == str(project / "oidc.yaml")
    (problem,) = error.value.problems
    assert problem.path == "stack gone-jc"
    assert (
        "its local state terraform.gone-jc.tfstate still lists 1 resource (aws_eks_identity_provider_config.trust)"
        in (problem.message)
    )
    assert "with the config that still makes the stack: `cdktf destroy gone-jc`" in problem.message


def test_a_state_file_without_a_stack_folder_counts_too(project: Path) -> None:
    (project / "terraform.gone-jc.tfstate").write_text(state(MANAGED), encoding="utf-8")
    with pytest.raises(UserError, match="stack gone-jc: no longer made by this config"):
        check(project)


@pytest.mark.parametrize(
    "leftover",
    [state(), state(DATA), state({**MANAGED, "instances": []}), None],
    ids=["destroyed", "data-sources-only", "no-instances", "no-state-file"],
)
def test_a_dropped_stack_that_owns_nothing_has_its_folder_removed(project: Path, leftover: str | None) -> None:
    folder = earlier_stack(project, "gone-jc")
    kept = earlier_stack(project, "prod-jc")
    if leftover is not None:
        (project / "terraform.gone-jc.tfstate").write_text(leftover, encoding="utf-8")
    stale = check(project)
    assert stale.folders == [folder]
    assert stale.warnings == []
    removed: list[str] = []
    stale.remove_folders(removed.append, cdktf_cli_removes_them=False)
    assert not folder.exists()
    assert kept.is_dir()
    assert removed == [f"removed {folder}: the config no longer makes stack 'gone-jc'"]


def test_under_the_cdktf_cli_the_folder_is_left_for_the_cli_to_remove(project: Path) -> None:
    """The CLI removes it right after the app, and fails on a folder that is already gone."""
    folder = earlier_stack(project, "gone-jc")
    removed: list[str] = []
    check(project).remove_folders(removed.append, cdktf_cli_removes_them=True)
    assert (folder / "cdk.tf.json").is_file()
    assert removed == [f"removed {folder}: the config no longer makes stack 'gone-jc'"]


@pytest.mark.parametrize(
    ("context", "by_cli"),
    [
        (json.dumps({"cdktfRelativeModules": []}), True),
        (json.dumps({"team": "infra", "cdktfRelativeModules": ["./modules/x"]}), True),
        (None, False),
        (json.dumps({"team": "infra"}), False),
        ('["cdktfRelativeModules"]', False),
        ("{not json", False),
        ("[" * 100_000, False),
    ],
    ids=["cli", "cli-with-user-context", "no-context", "user-context", "not-an-object", "not-json", "deep"],
)
def test_the_cdktf_cli_is_recognised_by_the_context_it_gives_the_app(context: str | None, by_cli: bool) -> None:
    environ = {"PATH": "/usr/bin"} if context is None else {"CDKTF_CONTEXT_JSON": context}
    assert cdktf_cli_removes_stale_folders(environ) is by_cli


@pytest.mark.parametrize(
    "resource",
    [
        {key: value for key, value in MANAGED.items() if key != "mode"},
        {key: value for key, value in MANAGED.items() if key != "instances"},
    ],
    ids=["without-mode", "without-instances"],
)
def test_a_resource_whose_state_leaves_mode_or_instances_out_counts_as_owned(
    project: Path, resource: dict[str, Any]
) -> None:
    """A hand-edited or foreign state that doesn't say the resource is a data source, or that it has no
    instances left, may well still own it: synth stops rather than orphan it."""
    (project / "terraform.gone-jc.tfstate").write_text(state(resource), encoding="utf-8")
    with pytest.raises(UserError) as error:
        check(project)
    (problem,) = error.value.problems
    assert "still lists 1 resource (aws_eks_identity_provider_config.trust)" in problem.message


def test_state_of_the_stacks_the_config_makes_is_left_alone(project: Path) -> None:
    (project / "terraform.prod-jc.tfstate").write_text(state(MANAGED), encoding="utf-8")
    assert check(project).folders == []


@pytest.mark.parametrize(
    "text",
    [
        "{",
        '{"resources": 3}',
        "[]",
        '{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"serial": ' + "9" * 5000 + "}",
    ],
    ids=["not-json", "resources-not-a-list", "not-an-object", "nested-100000-deep", "a-5000-digit-number"],
)
def test_a_state_that_cant_be_read_stops_synth_too(project: Path, text: str) -> None:
    (project / "terraform.gone-jc.tfstate").write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="can't be read as Terraform state"):
        check(project)


def test_a_state_file_past_the_input_bound_is_not_read_and_stops_synth(project: Path) -> None:
    with (project / "terraform.gone-jc.tfstate").open("wb") as file:
        file.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(UserError, match=r"can't be read as Terraform state \(InputTooLarge: is larger than 16 MiB"):
        within(10, lambda: check(project))


def test_every_dropped_stack_that_owns_resources_is_named(project: Path) -> None:
    for name in ("gone-jc", "old-jc"):
        (project / f"terraform.{name}.tfstate").write_text(state(MANAGED), encoding="utf-8")
    with pytest.raises(UserError) as error:
        check(project)
    assert [problem.path for problem in error.value.problems] == ["stack gone-jc", "stack old-jc"]


def test_a_dropped_terraform_cloud_stack_is_a_warning_naming_its_workspace(project: Path) -> None:
    cloud = {"terraform": {"cloud": {"organization": "acme", "workspaces": {"name": "k8s-oidc-gone-jc"}}}}
    folder = earlier_stack(project, "gone-jc", cloud)
    stale = check(project, CONFIG + "backend: {type: cloud, organization: acme}\n")
    assert stale.folders == [folder]
    (warning,) = stale.warnings
    assert "Terraform Cloud workspace acme/k8s-oidc-gone-jc" in warning
    assert "`cdktf destroy gone-jc`" in warning


def test_the_cli_refuses_before_jsii_starts_and_writes_nothing(tmp_path: Path) -> None:
    """main.py's synth with this project root: exit 2, the message, and neither cdktf nor jsii loaded."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "oidc.yaml").write_text(CONFIG, encoding="utf-8")
    folder = earlier_stack(project, "gone-jc")
    (project / "terraform.gone-jc.tfstate").write_text(state(MANAGED), encoding="utf-8")
    probe = (
        "import sys, os; import main; main.PROJECT_ROOT = __import__('pathlib').Path(sys.argv[1]);"
        "os.environ['CDKTF_OUTDIR'] = sys.argv[1] + '/cdktf.out';"
        "code = main.main(['synth', '--config', sys.argv[1] + '/oidc.yaml']);"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs')];"
        "print(loaded); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(project)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout.strip() == "[]"
    assert result.stderr.startswith(f"error: {project / 'oidc.yaml'}: stack gone-jc: no longer made by this config")
    assert "Traceback" not in result.stderr
    assert sorted(path.name for path in folder.parent.iterdir()) == ["gone-jc"]
    assert (folder / "cdk.tf.json").is_file()


SHARED = CONFIG.replace(
    "  jc: {type: jumpcloud, client_id: abc}\n",
    "  jc: {type: jumpcloud, client_id: abc}\n  okta: {type: okta, application: shared}\n",
).replace("identity_providers: [jc]", "identity_providers: [jc, okta]")
OKTA_APP = {
    "mode": "managed",
    "type": "okta_app_oauth",
    "name": "identity_provider_app_06873EBA",
    "provider": 'provider["registry.terraform.io/okta/okta"]',
    "instances": [{"schema_version": 1, "attributes": {"id": "0oa1"}}],
}


@pytest.mark.parametrize(
    "now",
    [
        SHARED.replace("application: shared", "application: per_cluster"),
        SHARED.replace("identity_providers: [jc, okta]", "identity_providers: [jc]"),
    ],
    ids=["switched-to-per-cluster", "no-cluster-uses-it"],
)
def test_a_dropped_idp_stack_that_still_owns_its_application_stops_synth(project: Path, now: str) -> None:
    """`<idp>-idp` is guarded like every stack: switching the IdP to per_cluster, or dropping its last cluster,
    must not orphan the shared app in Okta."""
    assert "okta-idp" in config(project, SHARED).stack_names()
    earlier_stack(project, "okta-idp")
    (project / "terraform.okta-idp.tfstate").write_text(state(OKTA_APP), encoding="utf-8")
    with pytest.raises(UserError) as error:
        check(project, now)
    (problem,) = error.value.problems
    assert problem.path == "stack okta-idp"
    assert problem.message.startswith(
        "no longer made by this config, but its local state terraform.okta-idp.tfstate still lists 1 resource "
        "(okta_app_oauth.identity_provider_app_06873EBA)"
    )
    assert "`cdktf destroy okta-idp`" in problem.message


def test_an_idp_stack_the_config_still_makes_keeps_its_state(project: Path) -> None:
    earlier_stack(project, "okta-idp")
    (project / "terraform.okta-idp.tfstate").write_text(state(OKTA_APP), encoding="utf-8")
    assert check(project, SHARED).folders == []

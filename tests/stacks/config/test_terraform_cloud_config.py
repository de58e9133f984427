"""The config of a cloud backend's `terraform-cloud` stack: `backend.project` and `backend.variable_sets`,
and the stack name it takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacks.config import TERRAFORM_CLOUD_STACK, CloudBackend, Config, parse_config
from stacks.errors import UserError

CLUSTERS = """\
identity_providers:
  jc: {type: jumpcloud, client_id: abc}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
"""


def config_with(backend: str, clusters: str = CLUSTERS) -> Config:
    return parse_config(f"version: 1\nbackend: {backend}\n{clusters}", Path("oidc.yaml"))


def problems_with(backend: str, clusters: str = CLUSTERS) -> dict[str, str]:
    with pytest.raises(UserError) as raised:
        config_with(backend, clusters)
    return {problem.path: problem.message for problem in raised.value.problems}


def test_project_and_variable_sets_default_to_none() -> None:
    backend = config_with("{type: cloud, organization: acme}").backend
    assert isinstance(backend, CloudBackend)
    assert (backend.project, backend.variable_sets) == (None, [])


def test_project_and_variable_sets_are_taken_as_written() -> None:
    backend = config_with(
        "{type: cloud, organization: acme, project: Platform team, variable_sets: [aws-credentials, Okta API token]}"
    ).backend
    assert isinstance(backend, CloudBackend)
    assert backend.project == "Platform team"
    assert backend.variable_sets == ["aws-credentials", "Okta API token"]


@pytest.mark.parametrize("project", ['""', "a/b", '" padded"', "x" * 41])
def test_a_project_name_terraform_cloud_refuses_is_a_config_error(project: str) -> None:
    assert "backend.project" in problems_with(f"{{type: cloud, organization: acme, project: {project}}}")


def test_variable_sets_must_not_repeat() -> None:
    problems = problems_with("{type: cloud, organization: acme, variable_sets: [creds, creds]}")
    assert "repeated: creds" in problems["backend.variable_sets"]


def test_a_local_backend_takes_neither_key() -> None:
    problems = problems_with("{type: local, project: Platform}")
    assert problems["backend.project"].startswith("unknown key")


def test_the_bootstrap_stack_name_is_taken_with_a_cloud_backend_only() -> None:
    clusters = CLUSTERS.replace("prod:", "terraform:").replace("jc:", "cloud:").replace("[jc]", "[cloud]")
    problems = problems_with("{type: cloud, organization: acme}", clusters)
    assert "'terraform-cloud' is also made by backend" in problems["clusters.terraform.identity_providers (cloud)"]
    assert TERRAFORM_CLOUD_STACK in config_with("{type: local}", clusters).stack_names()  # the pair stack's name

"""The API client of `render --from-terraform-cloud` (render.terraform_cloud_client): the token Terraform
itself uses for the host (`TF_TOKEN_…`, else `terraform login`'s credentials file). Its requests, retries
and bounds are tested through the workspace reading, in test_terraform_cloud.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from terraform_cloud_api import home_with_token

from render.terraform_cloud_client import api_token
from stacks.errors import UserError


def test_the_token_comes_from_tf_token_with_dots_and_hyphens_encoded(tmp_path: Path) -> None:
    env = {"TF_TOKEN_app_terraform_io": "from-env", "TF_TOKEN_tfe_my__corp_example": "corp"}
    assert api_token("app.terraform.io", env, tmp_path) == "from-env"
    assert api_token("tfe.my-corp.example", env, tmp_path) == "corp"
    assert api_token("TFE.My-Corp.Example", env, tmp_path) == "corp"


def test_the_environment_wins_over_the_credentials_file(tmp_path: Path) -> None:
    home = home_with_token(tmp_path, "app.terraform.io", token="from-file")
    assert api_token("app.terraform.io", {}, home) == "from-file"
    assert api_token("app.terraform.io", {"TF_TOKEN_app_terraform_io": "from-env"}, home) == "from-env"
    assert api_token("app.terraform.io", {"TF_TOKEN_other_example": "other"}, home) == "from-file"


def test_no_token_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        api_token("tfe.my-corp.example", {}, tmp_path)
    message = str(raised.value)
    assert "run `terraform login tfe.my-corp.example`" in message
    assert "set TF_TOKEN_tfe_my__corp_example" in message


def test_a_broken_credentials_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / ".terraform.d").mkdir()
    (tmp_path / ".terraform.d" / "credentials.tfrc.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError) as raised:
        api_token("app.terraform.io", {}, tmp_path)
    assert raised.value.source.endswith("credentials.tfrc.json")


def test_a_token_for_another_host_is_not_used(tmp_path: Path) -> None:
    home = home_with_token(tmp_path, "tfe.other.example", token="other-host-token")
    with pytest.raises(UserError) as raised:
        api_token("app.terraform.io", {}, home)
    assert "no API token for app.terraform.io" in str(raised.value)
    assert api_token("TFE.Other.Example", {}, home) == "other-host-token"  # host names are case-insensitive


def test_the_token_of_the_configured_host_is_picked_from_several(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".terraform.d").mkdir(parents=True)
    credentials = {"credentials": {"a.example": {"token": "a-token"}, "app.terraform.io": {"token": "tfc-token"}}}
    (home / ".terraform.d" / "credentials.tfrc.json").write_text(json.dumps(credentials), encoding="utf-8")
    assert api_token("app.terraform.io", {}, home) == "tfc-token"
    assert api_token("a.example", {}, home) == "a-token"

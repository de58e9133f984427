"""Which issuer and client id each cluster trusts: the config's values, or the deployed outputs'."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType
from doctor.console import PUBLIC_CLIENT_SETTING
from doctor.http import IssuerCa
from doctor.targets import build_targets, read_oidc_outputs, select_identity_providers
from render.outputs_reader import OutputsFiles
from stacks.config import load_config
from stacks.errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
FIXTURES = PROJECT_ROOT / "tests" / "render" / "fixtures"
WORKFORCE_CONFIG = PROJECT_ROOT / "tests" / "fixtures" / "workforce.yaml"
EVERY_KIND = PROJECT_ROOT / "tests" / "fixtures" / "cluster_kinds.yaml"
CA_FILE = PROJECT_ROOT / "tests" / "fixtures" / "pki" / "onprem-ca.crt"


def test_without_outputs_only_fixed_issuers_are_known() -> None:
    config = load_config(EXAMPLE_CONFIG)
    targets = {target.name: target for target in build_targets(config, list(config.identity_providers), None, None)}

    okta = targets["okta-main"]
    assert [(t.cluster, t.issuer, t.client_id) for t in okta.trusts] == [("prod", None, None), ("lab", None, None)]
    assert okta.issuers == ()
    assert len(okta.skipped) == 1
    assert okta.skipped[0].startswith("prod-okta-main, lab-okta-main: the issuer of the authorization server")

    gws = targets["gws"]
    (trust,) = gws.trusts
    assert (trust.cluster, trust.issuer, trust.client_id) == (
        "data",
        "https://accounts.google.com",
        config.identity_providers["gws"].client_id,
    )
    assert not trust.public_client
    assert (trust.username_prefix, trust.groups_claim, trust.scopes) == ("gws:", None, config.scopes("gws"))

    jc = targets["jc"]
    assert [issuer.url for issuer in jc.issuers] == [IDP_DEFAULTS[IdentityProviderType.JUMPCLOUD].issuer_url]
    assert jc.issuers[0].setting == "identity_providers.jc.issuer_url"
    assert jc.issuers[0].public_client


@pytest.mark.parametrize("outputs", ["outputs.cdktf.json", "terraform-output"])
def test_deployed_outputs_win_over_the_config(outputs: str) -> None:
    config = load_config(FIXTURES / "oidc.yaml")
    path = FIXTURES / outputs
    targets = {
        target.name: target
        for target in build_targets(
            config, list(config.identity_providers), read_oidc_outputs(config, OutputsFiles(path)), OutputsFiles(path)
        )
    }
    okta = targets["okta-main"]
    prod = next(trust for trust in okta.trusts if trust.stack == "prod-okta-main")
    assert (prod.issuer, prod.client_id, prod.from_outputs) == (
        "https://acme.okta.com/oauth2/aus1a2b3c4",
        "0oa9x8y7z6",
        True,
    )
    assert [issuer.setting for issuer in okta.issuers] == ["the oidc_config.issuer_url output of stack prod-okta-main"]
    gws = next(trust for trust in targets["gws"].trusts if trust.stack == "data-gws")
    assert gws.client_secret == "GOCSPX-example-only"


def test_workforce_clusters_trust_no_kubelogin_client() -> None:
    config = load_config(WORKFORCE_CONFIG)
    targets = {target.name: target for target in build_targets(config, list(config.identity_providers), None, None)}
    # jc signs in only through the workforce pool: its fixed issuer is still checked.
    assert targets["jc"].trusts == ()
    assert [issuer.url for issuer in targets["jc"].issuers] == ["https://oauth.id.jumpcloud.com/"]
    assert targets["okta-main"].skipped == (
        "used by no cluster that signs in through kubelogin (only workforce_identity clusters, where gcloud signs in "
        "through the workforce pool), and its issuer is known only after deploy",
    )
    assert [trust.cluster for trust in targets["gws"].trusts] == ["classic"]


def test_identity_providers_are_checked_in_config_order() -> None:
    config = load_config(EXAMPLE_CONFIG)
    assert select_identity_providers(config, []) == list(config.identity_providers)
    assert select_identity_providers(config, ["jc", "okta-main"]) == ["okta-main", "jc"]
    with pytest.raises(UserError) as raised:
        select_identity_providers(config, ["okta"])
    assert raised.value.problems[0].message.startswith("unknown identity provider 'okta' (did you mean 'okta-main'?)")


def test_aks_clusters_are_targets_with_their_subject_prefix_and_the_issuers_ca() -> None:
    config = load_config(EVERY_KIND)
    targets = {target.name: target for target in build_targets(config, list(config.identity_providers), None, None)}
    # Every kind signing in through kubelogin is a target (not lab, a workforce cluster).
    trusts = {trust.cluster: trust for trust in targets["jc"].trusts}
    assert set(trusts) == {"prod", "data", "onprem", "apps"}
    assert {cluster: trust.subject_prefix for cluster, trust in trusts.items()} == {
        "prod": "",
        "data": "",
        "onprem": "",
        "apps": "aks:jwt:",
    }
    assert all(trust.issuer_ca is None for trust in trusts.values())  # JumpCloud's issuer is publicly trusted


def test_an_oidc_idps_ca_comes_with_its_issuer(tmp_path: Path) -> None:
    ca_data = base64.b64encode(CA_FILE.read_bytes()).decode()
    (tmp_path / "oidc.yaml").write_text(
        f"""\
version: 1
identity_providers:
  sso: {{type: oidc, issuer_url: "https://sso.example/realms/eng", client_id: k, certificate_authority_data: {ca_data}}}
clusters:
  onprem: {{type: kubernetes, endpoint: "https://k8s.example:6443", certificate_authority_data: {ca_data},
           identity_providers: [sso]}}
""",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "oidc.yaml")
    (target,) = build_targets(config, ["sso"], None, None)
    (issuer,) = target.issuers
    assert issuer.issuer_ca == IssuerCa(ca_data, "identity_providers.sso.certificate_authority_file (or _data)")
    assert target.trusts[0].issuer_ca == issuer.issuer_ca


def test_every_idp_type_names_its_console_setting_of_a_public_client() -> None:
    assert set(PUBLIC_CLIENT_SETTING) == set(IdentityProviderType)
    assert "docs/oidc-providers.md" in PUBLIC_CLIENT_SETTING[IdentityProviderType.OIDC]

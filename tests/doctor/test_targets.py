"""Which issuer and client id each cluster trusts: the config's values, or the deployed outputs'."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_lib.oidc import IDP_DEFAULTS, IdentityProviderType
from doctor.targets import build_targets, read_oidc_outputs, select_identity_providers
from render.outputs_reader import OutputsFiles
from stacks.config import load_config
from stacks.errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
FIXTURES = PROJECT_ROOT / "tests" / "render" / "fixtures"
WORKFORCE_CONFIG = PROJECT_ROOT / "tests" / "fixtures" / "workforce.yaml"


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

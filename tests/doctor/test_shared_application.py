"""doctor and a shared application (issue 21): one issuer and client id for all of an IdP's clusters, read
from its stack `<idp>-idp` (the pairs read it there too), checked once, the report naming the clusters it
serves; against the real OpenID provider of these tests."""

from __future__ import annotations

import json
from pathlib import Path

from doctor_support import PUBLIC_CLIENT, Provider, check_of, doctor_env, lines, run_doctor

from doctor.targets import build_targets, read_oidc_outputs
from render.outputs_reader import OutputsFiles
from stacks.config import parse_config


def shared_config(folder: Path) -> Path:
    path = folder / "oidc.yaml"
    path.write_text(
        "version: 1\n"
        "identity_providers:\n"
        '  okta: {type: okta, application: shared, prefix: "okta:"}\n'
        "clusters:\n"
        "  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [okta]}\n"
        "  data: {type: gke, project: acme-data, location: us-west1, cluster_name: data, identity_providers: [okta]}\n"
        "  lab: {type: gke, project: acme-lab, location: us-west1, cluster_name: lab, identity_providers: [okta]}\n"
        "access:\n"
        "  - {identity_provider: okta, group: admins, cluster_role: cluster-admin}\n",
        encoding="utf-8",
    )
    return path


def oidc_output(provider: Provider, client_id: str = PUBLIC_CLIENT) -> dict[str, object]:
    return {
        "oidc_config": {
            "client_id": client_id,
            "issuer_url": provider.issuer,
            "user_claim": "email",
            "groups_claim": "groups",
            "username_prefix": "okta:",
            "groups_prefix": "okta:",
            "scopes": ["openid", "profile", "email"],
            "pkce_method": "S256",
            "redirect_uris": [f"http://localhost:{port}" for port in provider.redirect_ports],
            "requires_client_secret": False,
        }
    }


def test_without_outputs_the_skip_names_the_application_stack_and_its_clusters(tmp_path: Path) -> None:
    config_file = shared_config(tmp_path)
    config = parse_config(config_file.read_text(encoding="utf-8"), config_file)
    (target,) = build_targets(config, ["okta"], None, None)
    assert target.application is not None
    assert (target.application.stack, target.application.clusters) == ("okta-idp", ("prod", "data", "lab"))
    (skipped,) = target.skipped
    assert skipped.startswith("okta-idp (the shared application of prod, data, lab): the issuer of the authorization")


def test_the_application_is_checked_once_for_every_cluster_it_serves(tmp_path: Path, provider: Provider) -> None:
    config = shared_config(tmp_path)
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"okta-idp": oidc_output(provider)}), encoding="utf-8")
    token = tmp_path / "token.jwt"
    token.write_text(provider.token(aud=PUBLIC_CLIENT), encoding="utf-8")
    result = run_doctor(config, "--outputs", str(outputs), "--id-token", str(token), env=doctor_env(provider))
    assert result.returncode == 0, result.stdout + result.stderr
    output = lines(result.stdout)
    assert output[0] == (
        f"ok    okta  shared application: one issuer and client id ({provider.issuer}, {PUBLIC_CLIENT}, stack "
        "okta-idp) for the clusters prod, data, lab: checked once for all of them"
    )
    checks = [check_of(line) for line in output]
    # Discovery once, for the one issuer; then what each cluster makes of the token.
    assert checks.count("issuer") == 1 and checks.count("jwks") == 1
    assert [check for check in checks if check.startswith("cluster ")] == [
        "cluster prod",
        "cluster data",
        "cluster lab",
    ]
    assert not [line for line in output if line.startswith(("FAIL", "skip"))]


def test_a_pair_still_on_another_application_is_a_warning_naming_it(tmp_path: Path, provider: Provider) -> None:
    config = shared_config(tmp_path)
    outputs = tmp_path / "outputs.json"
    # data-okta's own output (a pair applied before the application was replaced) wins for its cluster.
    outputs.write_text(
        json.dumps({"okta-idp": oidc_output(provider), "data-okta": oidc_output(provider, client_id="old-client")}),
        encoding="utf-8",
    )
    result = run_doctor(config, "--outputs", str(outputs), env=doctor_env(provider))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f"warn  okta  shared application: pair stack data-okta outputs issuer {provider.issuer} and client id "
        "old-client, not the shared application's: cluster data still trusts the application it was applied "
        "with; apply data-okta again"
    ) in lines(result.stdout)


def test_the_issuer_to_fix_is_the_application_stacks_output(tmp_path: Path, provider: Provider) -> None:
    config_file = shared_config(tmp_path)
    config = parse_config(config_file.read_text(encoding="utf-8"), config_file)
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"okta-idp": oidc_output(provider)}), encoding="utf-8")
    source = OutputsFiles(outputs)
    (target,) = build_targets(config, ["okta"], read_oidc_outputs(config, source), source)
    (issuer,) = target.issuers
    assert issuer.setting == "the oidc_config.issuer_url output of stack okta-idp"
    assert [(trust.cluster, trust.stack, trust.client_id) for trust in target.trusts] == [
        ("prod", "prod-okta", PUBLIC_CLIENT),
        ("data", "data-okta", PUBLIC_CLIENT),
        ("lab", "lab-okta", PUBLIC_CLIENT),
    ]
    assert target.skipped == ()

"""An AKS cluster and an `oidc` IdP behind a private CA, end to end (issue 22's "done when"): the config is
synthesised, the pair stacks' outputs are what Terraform would output from it (the `oidc_config` as
synthesised, the `cluster` in the contract's shape, as Azure's kubeconfig gives it), the render step turns them
into files, and doctor checks the IdP with them — against node-oidc-provider, whose test CA is trusted only
through the config."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from doctor_support import PUBLIC_CLIENT, Provider, doctor_env, lines, run_doctor
from synth_support import config_from_text, synth_config

PROJECT_ROOT = Path(__file__).resolve().parents[2]
API_SERVER = "https://apps-aks-1a2b3c4d.hcp.westeurope.azmk8s.io:443"


def config_text(provider: Provider) -> str:
    ports = ", ".join(map(str, provider.redirect_ports))
    return f"""\
version: 1
defaults:
  redirect_ports: [{ports}]
identity_providers:
  sso:
    type: oidc
    prefix: "sso:"
    issuer_url: {provider.issuer}
    client_id: {PUBLIC_CLIENT}
    certificate_authority_file: pki/sso-ca.pem
clusters:
  apps:
    type: aks
    subscription_id: 00000000-0000-0000-0000-000000000000
    resource_group: rg-apps
    cluster_name: apps-aks
    identity_providers: [sso]
access:
  - {{identity_provider: sso, group: admins, cluster_role: cluster-admin}}
"""


def terraform_outputs(stack: dict[str, Any], cluster_ca: str) -> dict[str, Any]:
    """What `terraform output` gives for the stack: its literal `oidc_config` as synthesised, and the `cluster`
    Terraform reads from Azure (here written out)."""
    oidc = stack["output"]["oidc_config"]["value"]
    assert "${" not in json.dumps(oidc)  # an `oidc` IdP's client is made by hand: nothing left to Terraform
    cluster = {
        "name": "apps-aks",
        "type": "aks",
        "region_or_location": "westeurope",
        "endpoint": API_SERVER,
        "certificate_authority_data": cluster_ca,
    }
    assert set(cluster) == set(stack["output"]["cluster"]["value"])
    return {"oidc_config": oidc, "cluster": cluster}


def test_config_synth_outputs_render_doctor(tmp_path: Path, provider: Provider) -> None:
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "sso-ca.pem").write_bytes(provider.ca_file.read_bytes())
    config_path = tmp_path / "oidc.yaml"
    config = config_from_text(config_text(provider), tmp_path)
    ca_pem = provider.ca_file.read_bytes()
    ca_data = base64.b64encode(ca_pem).decode()

    # Synth: the authenticator trusts the issuer through its CA, and the output carries it.
    stacks = synth_config(config, tmp_path / "cdktf.out", project_root=tmp_path)
    (authenticator,) = stacks["apps-sso"]["resource"]["azapi_resource"].values()  # type: ignore[index]
    assert authenticator["body"]["properties"]["certificateAuthorityBundle"] == ca_pem.decode()
    assert authenticator["body"]["properties"]["issuer"] == {"url": provider.issuer, "audiences": [PUBLIC_CLIENT]}

    outputs = {"apps-sso": terraform_outputs(stacks["apps-sso"], ca_data)}
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps(outputs), encoding="utf-8")

    # Render: kubelogin gets the issuer's CA; RBAC names the subjects as AKS maps them; the admins' README.
    out = tmp_path / "out"
    command = [sys.executable, str(PROJECT_ROOT / "main.py"), "render", "--config", str(config_path)]
    render = subprocess.run(
        [*command, "--outputs", str(outputs_file), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert render.returncode == 0, render.stderr
    kubeconfig = yaml.safe_load((out / "apps-sso" / "kubeconfig.yaml").read_text(encoding="utf-8"))
    (cluster,) = kubeconfig["clusters"]
    assert cluster == {"name": "apps", "cluster": {"server": API_SERVER, "certificate-authority-data": ca_data}}
    (user,) = kubeconfig["users"]
    assert f"--certificate-authority-data={ca_data}" in user["user"]["exec"]["args"]
    (binding,) = yaml.safe_load_all((out / "apps-sso" / "rbac.yaml").read_text(encoding="utf-8"))
    assert binding["subjects"][0]["name"] == "aks:jwt:sso:admins"
    assert "JWTAuthenticatorPreview" in (out / "admin" / "apps" / "README.md").read_text(encoding="utf-8")

    # doctor: the outputs' issuer and CA, a token of the provider, what the AKS cluster sees.
    token = tmp_path / "token.jwt"
    token.write_text(provider.token(), encoding="utf-8")
    result = run_doctor(config_path, "--outputs", str(outputs_file), "--id-token", str(token), env=doctor_env(None))
    assert result.returncode == 0, result.stdout + result.stderr
    output = lines(result.stdout)
    assert f"ok    sso  issuer: {provider.issuer} equals the discovery document's issuer" in output
    assert (
        "ok    sso  cluster apps: Kubernetes sees user aks:jwt:sso:jane@example.com, groups aks:jwt:sso:admins, "
        "aks:jwt:sso:developers; access: ClusterRole cluster-admin (as group admins)"
    ) in output

"""checkov over the Workforce Identity Federation stacks (pool with Okta, Entra ID and JumpCloud
providers, a created and an existing workforce GKE cluster): no failed check."""

from __future__ import annotations

from pathlib import Path

from synth_support import config_from_text, synth_config
from test_checkov import CHECKOV_CONFIG, describe, run_checkov

WORKFORCE_CONFIG = """\
version: 1
google_workforce_pool: {organization_id: "123456789012", pool_id: k8s-engineers}
identity_providers:
  okta-main: {type: okta, prefix: "okta:"}
  entra: {type: entra_id, security_groups: [k8s-admins]}
  jc: {type: jumpcloud, client_id: public-id, workforce_client_id: web-id}
clusters:
  data:
    type: gke
    auth: workforce_identity
    project: acme-data
    location: us-west1
    cluster_name: data-cluster
    identity_providers: [okta-main, entra, jc]
  fed:
    type: gke
    auth: workforce_identity
    project: acme-fed
    location: us-central1
    create: {public_access_cidrs: [203.0.113.0/24]}
    identity_providers: [okta-main]
access:
  - {identity_provider: okta-main, group: k8s-admins, cluster_role: cluster-admin}
"""


def test_workforce_stacks_pass_checkov(tmp_path: Path) -> None:
    synth_config(config_from_text(WORKFORCE_CONFIG, tmp_path), tmp_path / "cdktf.out", project_root=tmp_path)
    report = run_checkov(tmp_path / "cdktf.out" / "stacks", "--config-file", str(CHECKOV_CONFIG))
    failed = report["results"]["failed_checks"]
    assert not failed, f"{len(failed)} checkov checks failed:\n" + "\n".join(map(describe, failed))
    assert report["summary"]["parsing_errors"] == 0
    checked = {check["file_path"] for check in report["results"]["passed_checks"]}
    assert any("/fed-cluster/" in path for path in checked)

"""Provider loading: a synth loads only the provider bindings its config needs (regression guard
for synth time and memory, measured by what is imported rather than by the clock)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from constructs_lib import provider_loading

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EKS_JUMPCLOUD = """\
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: abc}
clusters:
  prod: {type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [jc]}
"""
# What an existing-EKS + JumpCloud pair stack loads of the aws bindings: the provider, the identity
# provider config, and the EKS cluster module (whose construct also offers the created cluster).
EXPECTED_AWS_SUBMODULES = [
    "cdktf_cdktf_provider_aws.cloudwatch_log_group",
    "cdktf_cdktf_provider_aws.data_aws_caller_identity",
    "cdktf_cdktf_provider_aws.data_aws_eks_cluster",
    "cdktf_cdktf_provider_aws.default_security_group",
    "cdktf_cdktf_provider_aws.eks_cluster",
    "cdktf_cdktf_provider_aws.eks_identity_provider_config",
    "cdktf_cdktf_provider_aws.flow_log",
    "cdktf_cdktf_provider_aws.iam_role",
    "cdktf_cdktf_provider_aws.iam_role_policy",
    "cdktf_cdktf_provider_aws.iam_role_policy_attachment",
    "cdktf_cdktf_provider_aws.kms_key",
    "cdktf_cdktf_provider_aws.provider",
    "cdktf_cdktf_provider_aws.subnet",
    "cdktf_cdktf_provider_aws.vpc",
]
# Measured ~250 MB with both lazy loaders; without the Node one it was ~770 MB, the ordinary import ~1.6 GB.
PEAK_RSS_LIMIT_MB = 500
PROBE = """
import json, os, resource, sys
from pathlib import Path
from constructs_lib.runtime import prepare_jsii_runtime
prepare_jsii_runtime()
from constructs_lib import provider_loading
from stacks.app import build_app
from stacks.config import parse_config
config_path = Path(sys.argv[1])
config = parse_config(config_path.read_text(), config_path)
build_app(config, outdir=Path(sys.argv[2]), project_root=Path(sys.argv[3])).synth()
def node_peak_kib():
    # The jsii kernel (node, which runs its runtime in a child node) is still running: sum the
    # high-water marks of every descendant process from /proc.
    parents = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        parents[status.parent.name] = (fields.get("PPid", "").strip(), int(fields.get("VmHWM", "0 kB").split()[0]))
    family, total, grew = {str(os.getpid())}, 0, True
    while grew:
        grew = False
        for pid, (ppid, _) in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(parents[pid][1] for pid in family - {str(os.getpid())} if pid in parents)
kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + node_peak_kib()
print(json.dumps({
    "submodules": {
        p: [m for m in provider_loading.loaded_submodules(p) if not m.endswith("._private")]
        for p in provider_loading.PROVIDER_PACKAGES
    },
    "assemblies": sorted(m for m in sys.modules if m.endswith("._jsii")),
    "azapi_bindings": "constructs_lib.azapi_bindings" in sys.modules,
    "peak_rss_mb": kib / 1024,
}))
"""


def probe_synth(config_text: str, tmp_path: Path) -> dict[str, object]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "oidc.yaml"
    config.write_text(config_text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(config), str(tmp_path / "out"), str(PROJECT_ROOT)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_eks_jumpcloud_synth_loads_only_the_aws_submodules_it_uses(tmp_path: Path) -> None:
    loaded = probe_synth(EKS_JUMPCLOUD, tmp_path)
    assert loaded["submodules"] == {
        "cdktf_cdktf_provider_aws": EXPECTED_AWS_SUBMODULES,
        "cdktf_cdktf_provider_google": [],
        "cdktf_cdktf_provider_okta": [],
        "cdktf_cdktf_provider_azuread": [],
        "cdktf_cdktf_provider_tfe": [],
    }
    assemblies = loaded["assemblies"]
    assert isinstance(assemblies, list)
    assert [name for name in assemblies if name.startswith("cdktf_cdktf_provider_")] == [
        "cdktf_cdktf_provider_aws._jsii"
    ]


AKS_JUMPCLOUD = """\
version: 1
identity_providers:
  jc: {type: jumpcloud, client_id: abc}
clusters:
  apps: {type: aks, subscription_id: 00000000-0000-0000-0000-000000000000, resource_group: rg-apps,
         cluster_name: apps-aks, identity_providers: [jc]}
"""


def test_the_azapi_bindings_are_loaded_by_aks_stacks_only(tmp_path: Path) -> None:
    assert probe_synth(EKS_JUMPCLOUD, tmp_path / "eks")["azapi_bindings"] is False
    aks = probe_synth(AKS_JUMPCLOUD, tmp_path / "aks")
    assert aks["azapi_bindings"] is True
    # Bound by hand (no provider package): an AKS + JumpCloud synth loads no provider binding at all.
    assert aks["submodules"] == {package: [] for package in provider_loading.PROVIDER_PACKAGES}
    assemblies = aks["assemblies"]
    assert isinstance(assemblies, list)
    assert [name for name in assemblies if name.startswith("cdktf_cdktf_provider_")] == []


def test_a_cloud_backend_loads_the_tfe_submodules_of_the_terraform_cloud_stack_only(tmp_path: Path) -> None:
    loaded = probe_synth(
        EKS_JUMPCLOUD.replace("version: 1\n", "version: 1\nbackend: {type: cloud, organization: acme}\n"), tmp_path
    )
    submodules = loaded["submodules"]
    assert isinstance(submodules, dict)
    assert submodules["cdktf_cdktf_provider_tfe"] == [
        "cdktf_cdktf_provider_tfe.data_tfe_project",
        "cdktf_cdktf_provider_tfe.data_tfe_variable_set",
        "cdktf_cdktf_provider_tfe.provider",
        "cdktf_cdktf_provider_tfe.run_trigger",
        "cdktf_cdktf_provider_tfe.variable",
        "cdktf_cdktf_provider_tfe.workspace",
        "cdktf_cdktf_provider_tfe.workspace_settings",
        "cdktf_cdktf_provider_tfe.workspace_variable_set",
    ]
    assert submodules["cdktf_cdktf_provider_aws"] == EXPECTED_AWS_SUBMODULES


def test_aws_only_synth_stays_under_a_generous_memory_bound(tmp_path: Path) -> None:
    loaded = probe_synth(EKS_JUMPCLOUD, tmp_path)
    peak = loaded["peak_rss_mb"]
    assert isinstance(peak, float)
    assert peak < PEAK_RSS_LIMIT_MB, f"peak RSS {peak:.0f} MB"


def test_bare_package_still_resolves_submodules_on_attribute_access() -> None:
    probe = (
        "from constructs_lib.runtime import prepare_jsii_runtime; prepare_jsii_runtime();"
        "import cdktf_cdktf_provider_okta as okta; print(okta.app_oauth.AppOauth.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "AppOauth"


STAR_PROBE = """
import ast, importlib.util, json
from pathlib import Path
from constructs_lib.runtime import prepare_jsii_runtime
prepare_jsii_runtime()
spec = importlib.util.find_spec("cdktf_cdktf_provider_okta")
real = next(  # the real __init__'s __all__, read without running it
    ast.literal_eval(node.value)
    for node in ast.parse(Path(spec.origin).read_text()).body
    if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "__all__" for target in node.targets)
)
names = {}
exec("from cdktf_cdktf_provider_okta import *", names)
print(json.dumps({
    "real": sorted(real),
    "star": sorted(name for name in names if not name.startswith("__")),
    "app_oauth": names["app_oauth"].AppOauth.__name__,
}))
"""


def test_a_star_import_of_a_bare_package_imports_its_submodules_as_the_real_one_does() -> None:
    result = subprocess.run(
        [sys.executable, "-c", STAR_PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["star"] == found["real"]
    assert len(found["star"]) > 100
    assert found["app_oauth"] == "AppOauth"

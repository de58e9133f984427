"""Real `terraform` over the AWS-only stacks of the matrix config, offline, against moto.

Each stack folder is copied to a temp dir; only the copy is changed: the aws version constraint
relaxed to the mirror's provider, a local backend in the temp dir, cross-stack state read from there,
and the provider pointed at a `moto_server` on loopback with dummy keys. Then `terraform init
-plugin-dir`, `validate`, and `plan -refresh=false` (data sources are read at plan time even then, so
the existing cluster really comes from moto's `DescribeCluster`). The created-cluster stack is applied
and re-planned with refresh; its pair stacks are planned on the applied state (moto has no EKS
identity-provider configs, so pair stacks are not applied). Both EKS clusters have two IdPs: two pair
stacks each, with an identity provider config each. A third EKS cluster trusts two shared applications: its
pair stacks hold no IdP resources and read the client id and issuer from the `<idp>-idp` stacks' local
state (which the Okta and Azure providers would write; here a state file with those outputs). A
self-managed cluster's pair stack (no provider at all) is applied, and its `terraform output -json`
rendered. A pair stack built from the constructs alone, with a client id and prefix that are Terraform
expressions, plans them as plain text.

The terraform runs are CPU-bound (the aws provider's schema alone takes seconds to load) and the
machine has two cores, so they run in two lanes in parallel, once per module; the tests then judge
each step's recorded result.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import cdktf
import pytest
import yaml
from check_matrix import MATRIX_CONFIG, MatrixSynth, synth_matrix
from synth_support import PROJECT_ROOT
from tool_support import require_tool

from constructs_lib.cluster.eks_cluster import EksCluster
from constructs_lib.cluster.eks_oidc_provider import EksOidcIdentityProvider
from constructs_lib.cluster.eks_oidc_provider_props import EksOidcIdentityProviderProps
from constructs_lib.idp.jumpcloud import JumpCloudOidcClient
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.outputs import ClusterOutput
from stacks.config import EksClusterConfig, KubernetesClusterConfig

CREATED = "demo-cluster"
CREATED_PAIR = "demo-gws"
CREATED_SECOND_PAIR = "demo-jc"
EXISTING_PAIR = "prod-jc"
EXISTING_SECOND_PAIR = "prod-gws"
SHARED_OKTA_PAIR = "fleet-okta-fleet"
SHARED_ENTRA_PAIR = "fleet-entra-fleet"
AWS_STACKS = (
    CREATED,
    CREATED_PAIR,
    CREATED_SECOND_PAIR,
    EXISTING_PAIR,
    EXISTING_SECOND_PAIR,
    SHARED_OKTA_PAIR,
    SHARED_ENTRA_PAIR,
)
SHARED_APPLICATIONS = {
    "okta-fleet-idp": {"client_id": "0oa-fleet-client", "issuer": "https://acme.okta.com/oauth2/ausfleet"},
    "entra-fleet-idp": {"client_id": "c0ffee00-fleet-client", "tenant_id": "7e57a000-0000-4000-8000-000000000000"},
}
"""What the shared applications' stacks output once applied, by the attribute each cross-stack output carries."""
SELF_MANAGED_PAIR = "onprem-jc"
"""No provider at all: JumpCloud has nothing to create and a self-managed cluster neither."""
MOTO_SERVICES = ("eks", "sts", "iam", "ec2", "kms", "logs")
STEP_TIMEOUT_SECONDS = 300
DUMMY_GOOGLE_SECRET = "not-a-secret"


# --- the mirror and moto ------------------------------------------------------------------------


def plugin_mirror() -> Path:
    """The folder holding `registry.terraform.io/`: $TF_PLUGIN_MIRROR, else found on the machine."""
    configured = os.environ.get("TF_PLUGIN_MIRROR")
    if configured:
        assert (Path(configured) / "registry.terraform.io").is_dir(), (
            f"TF_PLUGIN_MIRROR={configured} holds no registry.terraform.io/ folder"
        )
        return Path(configured)
    found = subprocess.run(
        ["find", "/", "-maxdepth", "4", "-type", "d", "-name", "registry.terraform.io"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in found.stdout.splitlines():
        if (Path(line) / "hashicorp" / "aws").is_dir():
            return Path(line).parent
    # A machine fact (DESIGN.md): with terraform present, a missing mirror is an error, not a skip.
    pytest.fail("no provider mirror with hashicorp/aws: set TF_PLUGIN_MIRROR to the folder with registry.terraform.io/")


def mirrored_aws_version(mirror: Path) -> str:
    versions = sorted(p.name for p in (mirror / "registry.terraform.io" / "hashicorp" / "aws").iterdir() if p.is_dir())
    assert versions, f"{mirror} holds no hashicorp/aws version"
    return versions[-1]


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def terraform() -> str:
    """The terraform binary: skipped when absent, failed under CI=true."""
    return require_tool("terraform")


@pytest.fixture(scope="module")
def moto(terraform: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server of our own on a free loopback port; its URL. AWS managed policies are loaded
    (the cluster role attaches AmazonEKSClusterPolicy)."""
    binary = Path(sys.executable).with_name("moto_server")
    assert binary.is_file(), f"moto_server is not installed beside {sys.executable} (dev dependency moto[server])"
    port = free_loopback_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(binary), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def aws_client(service: str, url: str, region: str) -> Any:
    return boto3.client(
        service, region_name=region, endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


# --- preparing the copies -----------------------------------------------------------------------


def prepare_copy(source: Path, target: Path, *, state_dir: Path, aws_version: str, moto_url: str) -> None:
    """Copy one synthesised stack folder and point the copy at the mirror's provider, local state
    in `state_dir`, and moto. The synthesised original is not touched."""
    shutil.copytree(source, target)
    path = target / "cdk.tf.json"
    stack = json.loads(path.read_text(encoding="utf-8"))
    terraform = stack["terraform"]
    if "aws" in terraform.get("required_providers", {}):
        terraform["required_providers"]["aws"]["version"] = aws_version
    terraform["backend"] = {"local": {"path": str(state_dir / f"terraform.{source.name}.tfstate")}}
    for remote in stack.get("data", {}).get("terraform_remote_state", {}).values():
        assert remote["backend"] == "local", remote
        # The synthesised path is relative (terraform.<stack>.tfstate in the project root): same file name here.
        remote["config"]["path"] = str(state_dir / Path(remote["config"]["path"]).name)
    for provider in stack.get("provider", {}).get("aws", []):
        provider.update(
            skip_credentials_validation=True,
            skip_requesting_account_id=True,
            skip_metadata_api_check=True,
            endpoints=[dict.fromkeys(MOTO_SERVICES, moto_url)],
        )
    path.write_text(json.dumps(stack, indent=2), encoding="utf-8")


def write_applied_outputs(state: Path, stack: dict[str, Any], values: dict[str, str]) -> None:
    """A local state file holding the outputs `stack` declares for cross-stack reads, as its apply would leave
    them: each `cross-stack-output-…<attribute>` with `values[attribute]`."""
    outputs = {}
    for name in stack["output"]:
        if name.startswith("cross-stack-output-"):
            (attribute,) = [key for key in values if name.endswith(key)]
            outputs[name] = {"value": values[attribute], "type": "string"}
    assert outputs, "the stack declares no cross-stack output"
    document = {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "k8s-oidc-test"}
    state.write_text(json.dumps({**document, "outputs": outputs, "resources": []}), encoding="utf-8")


def terraform_env(tmp: Path) -> dict[str, str]:
    """Dummy AWS keys and nothing of the caller's Terraform or AWS settings."""
    cli_config = tmp / "terraformrc"
    cli_config.write_text("", encoding="utf-8")  # no plugin cache, credentials or mirrors of the user's
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        TF_CLI_CONFIG_FILE=str(cli_config),
        TF_VAR_google_workspace_client_secret=DUMMY_GOOGLE_SECRET,
    )
    return env


# --- running the steps --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    command: str
    returncode: int
    output: str
    seconds: float


@dataclass(frozen=True)
class Step:
    stack: str
    name: str
    args: list[str]
    after: tuple[str, str] | None = None
    """(stack, step) of another lane that must have succeeded first."""
    ok: frozenset[int] = frozenset({0})
    """Exit statuses that count as success."""


@dataclass
class Runs:
    """Every step's result by (stack, step). A lane stops at its first failed step; a step that
    waits for another lane's step runs once that one succeeded."""

    lanes: int
    results: dict[tuple[str, str], StepResult] = field(default_factory=dict)
    succeeded: set[tuple[str, str]] = field(default_factory=set)
    finished_lanes: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def get(self, stack: str, step: str) -> StepResult:
        result = self.results.get((stack, step))
        if result is None:
            failed = [
                f"{s} {n} (exit {r.returncode})" for (s, n), r in self.results.items() if (s, n) not in self.succeeded
            ]
            pytest.fail(f"terraform {step} of {stack} did not run; failed before it: {failed}")
        return result

    def wait_for(self, key: tuple[str, str]) -> bool:
        """True once `key` succeeded; False if it failed or its lane ended without it."""
        with self.changed:
            self.changed.wait_for(lambda: key in self.results or self.finished_lanes == self.lanes - 1)
            return key in self.succeeded

    def run_lane(self, steps: list[Step], *, terraform: str, workdir: Path, env: dict[str, str]) -> None:
        try:
            for step in steps:
                if step.after is not None and not self.wait_for(step.after):
                    return
                command = [terraform, *step.args]
                started = time.monotonic()
                completed = subprocess.run(
                    command,
                    cwd=workdir / step.stack,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=STEP_TIMEOUT_SECONDS,
                    check=False,
                )
                with self.changed:
                    key = (step.stack, step.name)
                    output = completed.stdout + completed.stderr
                    seconds = time.monotonic() - started
                    self.results[key] = StepResult(" ".join(command), completed.returncode, output, seconds)
                    if completed.returncode in step.ok:
                        self.succeeded.add(key)
                    self.changed.notify_all()
                if key not in self.succeeded:
                    return
        finally:
            with self.changed:
                self.finished_lanes += 1
                self.changed.notify_all()


@dataclass(frozen=True)
class TerraformCheck:
    matrix: MatrixSynth
    runs: Runs
    existing_cluster: dict[str, Any]
    """moto's DescribeCluster of the existing cluster the pair stack reads."""
    state_dir: Path
    """The copies' local state files, `terraform.<stack>.tfstate` (the created cluster's once applied)."""
    env: dict[str, str]
    """The environment terraform ran in."""


@pytest.fixture(scope="module")
def checked(terraform: str, tmp_path_factory: pytest.TempPathFactory, moto: str) -> TerraformCheck:
    mirror = plugin_mirror()
    matrix = synth_matrix(tmp_path_factory)
    existing = matrix.config.clusters["prod"]
    assert isinstance(existing, EksClusterConfig)
    assert existing.cluster_name is not None
    eks = aws_client("eks", moto, existing.region)
    cluster = eks.create_cluster(
        name=existing.cluster_name,
        roleArn="arn:aws:iam::123456789012:role/existing-cluster",
        resourcesVpcConfig={"subnetIds": []},
    )["cluster"]
    fleet = matrix.config.clusters["fleet"]
    assert isinstance(fleet, EksClusterConfig) and fleet.cluster_name is not None
    aws_client("eks", moto, fleet.region).create_cluster(
        name=fleet.cluster_name,
        roleArn="arn:aws:iam::123456789012:role/existing-cluster",
        resourcesVpcConfig={"subnetIds": []},
    )

    tmp = tmp_path_factory.mktemp("terraform")
    state_dir = tmp / "state"
    state_dir.mkdir()
    aws_version = mirrored_aws_version(mirror)
    for stack in (*AWS_STACKS, SELF_MANAGED_PAIR):
        prepare_copy(
            matrix.stacks_dir / stack, tmp / stack, state_dir=state_dir, aws_version=aws_version, moto_url=moto
        )
    for stack, values in SHARED_APPLICATIONS.items():
        write_applied_outputs(state_dir / f"terraform.{stack}.tfstate", matrix.stacks[stack], values)

    init = ["init", "-input=false", "-no-color", f"-plugin-dir={mirror}"]
    validate = ["validate", "-no-color"]
    # -detailed-exitcode: 2 means "a valid plan with changes" (0 would mean the stack creates nothing).
    plan = ["plan", "-refresh=false", "-input=false", "-no-color", "-detailed-exitcode"]
    changes = frozenset({2})
    apply = ["apply", "-input=false", "-no-color", "tfplan"]
    lanes = [
        [
            Step(CREATED, "init", init),
            Step(CREATED, "validate", validate),
            Step(CREATED, "plan", [*plan, "-out=tfplan"], ok=changes),
            Step(CREATED, "apply", apply),
            Step(CREATED, "output", ["output", "-json"]),
            Step(CREATED_PAIR, "plan", plan, after=(CREATED_PAIR, "validate"), ok=changes),
            Step(CREATED_SECOND_PAIR, "plan", plan, after=(CREATED_SECOND_PAIR, "validate"), ok=changes),
            Step(SELF_MANAGED_PAIR, "init", init),
            Step(SELF_MANAGED_PAIR, "validate", validate),
            Step(SELF_MANAGED_PAIR, "plan", [*plan, "-out=tfplan"], ok=changes),
            Step(SELF_MANAGED_PAIR, "apply", apply),
            Step(SELF_MANAGED_PAIR, "output", ["output", "-json"]),
            Step(SHARED_OKTA_PAIR, "init", init),
            Step(SHARED_OKTA_PAIR, "validate", validate),
            Step(SHARED_OKTA_PAIR, "plan", plan, ok=changes),
        ],
        [
            Step(CREATED_PAIR, "init", init),
            Step(CREATED_PAIR, "validate", validate),
            Step(CREATED_SECOND_PAIR, "init", init),
            Step(CREATED_SECOND_PAIR, "validate", validate),
            Step(EXISTING_PAIR, "init", init),
            Step(EXISTING_PAIR, "validate", validate),
            Step(EXISTING_PAIR, "plan", plan, ok=changes),
            Step(EXISTING_SECOND_PAIR, "init", init),
            Step(EXISTING_SECOND_PAIR, "validate", validate),
            Step(EXISTING_SECOND_PAIR, "plan", plan, ok=changes),
            Step(SHARED_ENTRA_PAIR, "init", init),
            Step(SHARED_ENTRA_PAIR, "validate", validate),
            Step(SHARED_ENTRA_PAIR, "plan", plan, ok=changes),
            Step(
                CREATED,
                "replan",
                ["plan", "-input=false", "-json", "-detailed-exitcode"],
                after=(CREATED, "apply"),
                ok=frozenset({0, 2}),
            ),
        ],
    ]
    runs = Runs(lanes=len(lanes))
    env = terraform_env(tmp)
    # Two lanes for two cores: every step is a CPU-bound terraform process.
    with ThreadPoolExecutor(max_workers=len(lanes)) as pool:
        for future in [pool.submit(runs.run_lane, lane, terraform=terraform, workdir=tmp, env=env) for lane in lanes]:
            future.result()
    # Shown with -s or on a failure: where the time goes.
    for (stack, name), result in runs.results.items():
        print(f"{stack:14} {name:9} exit {result.returncode}  {result.seconds:5.1f}s")
    return TerraformCheck(matrix=matrix, runs=runs, existing_cluster=cluster, state_dir=state_dir, env=env)


def planned_resource_count(stack: dict[str, Any]) -> int:
    return sum(len(blocks) for blocks in stack.get("resource", {}).values())


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", [*AWS_STACKS, SELF_MANAGED_PAIR])
def test_init_and_validate(checked: TerraformCheck, stack: str) -> None:
    init = checked.runs.get(stack, "init")
    assert init.returncode == 0, init.output
    validate = checked.runs.get(stack, "validate")
    assert validate.returncode == 0, validate.output
    assert "Success! The configuration is valid." in validate.output


@pytest.mark.parametrize("stack", AWS_STACKS)
def test_plan_creates_every_resource_of_the_stack(checked: TerraformCheck, stack: str) -> None:
    plan = checked.runs.get(stack, "plan")
    assert plan.returncode == 2, plan.output
    count = planned_resource_count(checked.matrix.stacks[stack])
    assert f"Plan: {count} to add, 0 to change, 0 to destroy." in plan.output, plan.output


def test_the_existing_cluster_is_read_through_the_data_source(checked: TerraformCheck) -> None:
    plan = checked.runs.get(EXISTING_PAIR, "plan").output
    cluster = checked.existing_cluster
    assert re.search(rf'cluster_name\s+= "{cluster["name"]}"', plan), plan
    assert re.search(rf'endpoint\s+= "{re.escape(cluster["endpoint"])}"', plan), plan
    assert cluster["endpoint"].startswith("https://")
    assert re.search(r'issuer_url\s+= "https://oauth\.id\.jumpcloud\.com/"', plan), plan
    assert re.search(r'groups_prefix\s+= "jc:"', plan), plan


def test_the_created_cluster_stack_applies_and_outputs_the_cluster(checked: TerraformCheck) -> None:
    apply = checked.runs.get(CREATED, "apply")
    assert apply.returncode == 0, apply.output
    count = planned_resource_count(checked.matrix.stacks[CREATED])
    assert f"Apply complete! Resources: {count} added, 0 changed, 0 destroyed." in apply.output
    output = checked.runs.get(CREATED, "output")
    assert output.returncode == 0, output.output
    cluster = json.loads(output.output)["cluster"]
    assert cluster["sensitive"] is False
    value = cluster["value"]
    assert set(value) == set(ClusterOutput.model_fields)
    assert (value["name"], value["type"], value["region_or_location"]) == ("demo", "eks", "us-west-2")
    assert value["endpoint"].startswith("https://")
    assert value["certificate_authority_data"]  # moto's is random base64, not a PEM certificate


def test_the_applied_cluster_has_the_secure_settings(checked: TerraformCheck, moto: str) -> None:
    apply = checked.runs.get(CREATED, "apply")
    assert apply.returncode == 0, apply.output
    described = aws_client("eks", moto, "us-west-2").describe_cluster(name="demo")["cluster"]
    assert described["version"] == "1.33"
    vpc = described["resourcesVpcConfig"]
    assert (vpc["endpointPrivateAccess"], vpc["endpointPublicAccess"]) == (True, True)
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24", "198.51.100.0/24"]
    assert len(vpc["subnetIds"]) == 3
    assert described["encryptionConfig"][0]["resources"] == ["secrets"]
    enabled_logs = {t for entry in described["logging"]["clusterLogging"] if entry["enabled"] for t in entry["types"]}
    assert enabled_logs == {"api", "audit", "authenticator", "controllerManager", "scheduler"}


def test_a_refreshed_plan_after_apply_changes_nothing_but_motos_gap(checked: TerraformCheck) -> None:
    replan = checked.runs.get(CREATED, "replan")
    messages = [json.loads(line) for line in replan.output.splitlines() if line.startswith("{")]
    changes = {
        (m["change"]["resource"]["resource_type"], m["change"]["action"])
        for m in messages
        if m["type"] == "planned_change"
    }
    # moto does not store an EKS cluster's access_config, so refresh sees it missing and plans to set
    # it again; any other planned change would be a perpetual diff of ours.
    assert changes <= {("aws_eks_cluster", "update")}, replan.output[-4000:]


def test_the_created_clusters_pair_reads_it_across_stacks(checked: TerraformCheck) -> None:
    plan = checked.runs.get(CREATED_PAIR, "plan")
    assert plan.returncode == 2, plan.output
    endpoint = json.loads(checked.runs.get(CREATED, "output").output)["cluster"]["value"]["endpoint"]
    # Both come from the cluster stack's state through terraform_remote_state.
    assert re.search(r'cluster_name\s+= "demo"', plan.output), plan.output
    assert re.search(rf'endpoint\s+= "{re.escape(endpoint)}"', plan.output), plan.output
    # Google Workspace has no groups claim, so the identity provider config sets no groups prefix either.
    resources = plan.output.split("Changes to Outputs")[0]
    assert re.search(r'username_prefix\s+= "gws:"', resources), resources
    assert not re.search(r"\+ groups_(claim|prefix)\s+=", resources), resources


@pytest.mark.parametrize(
    ("stack", "cluster_name", "config_name"),
    [
        (EXISTING_PAIR, "ProdCluster", "jc"),
        (EXISTING_SECOND_PAIR, "ProdCluster", "gws"),
        (CREATED_SECOND_PAIR, "demo", "jc"),
    ],
)
def test_each_pair_of_a_two_idp_cluster_plans_its_own_identity_provider_config(
    checked: TerraformCheck, stack: str, cluster_name: str, config_name: str
) -> None:
    plan = checked.runs.get(stack, "plan")
    assert plan.returncode == 2, plan.output
    resources = plan.output.split("Changes to Outputs")[0]
    assert len(re.findall(r"# aws_eks_identity_provider_config\.\S+ will be created", resources)) == 1, resources
    assert re.search(rf'cluster_name\s+= "{cluster_name}"', resources), resources
    assert re.search(rf'identity_provider_config_name\s+= "{config_name}"', resources), resources


def test_the_self_managed_pair_stack_applies_and_its_outputs_render(checked: TerraformCheck, tmp_path: Path) -> None:
    plan = checked.runs.get(SELF_MANAGED_PAIR, "plan")
    # Outputs only: nothing to create in any cloud or IdP.
    assert "Changes to Outputs:" in plan.output and "will be created" not in plan.output, plan.output
    apply = checked.runs.get(SELF_MANAGED_PAIR, "apply")
    assert apply.returncode == 0, apply.output
    assert "Apply complete! Resources: 0 added, 0 changed, 0 destroyed." in apply.output
    outputs = json.loads(checked.runs.get(SELF_MANAGED_PAIR, "output").output)
    cluster = checked.matrix.config.clusters["onprem"]
    assert isinstance(cluster, KubernetesClusterConfig)
    assert outputs["cluster"]["value"] == {
        "name": "onprem",
        "type": "kubernetes",
        "region_or_location": None,
        "endpoint": cluster.endpoint,
        "certificate_authority_data": cluster.certificate_authority,
    }

    # The render step from these outputs, with a config of that one pair.
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / f"{SELF_MANAGED_PAIR}.json").write_text(json.dumps(outputs), encoding="utf-8")
    config = tmp_path / "oidc.yaml"
    config.write_text(
        "version: 1\n"
        "identity_providers:\n  jc: {type: jumpcloud, client_id: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b}\n"
        "clusters:\n  onprem:\n    type: kubernetes\n    endpoint: https://k8s.acme.internal:6443\n"
        f"    certificate_authority_data: {cluster.certificate_authority}\n    identity_providers: [jc]\n",
        encoding="utf-8",
    )
    render = [
        "render",
        "--config",
        str(config),
        "--outputs",
        str(tmp_path / "outputs"),
        "--out",
        str(tmp_path / "rendered"),
    ]
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), *render],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rendered = yaml.safe_load((tmp_path / "rendered" / "admin" / "onprem" / "authentication-config.yaml").read_text())
    assert rendered["jwt"] == [
        {
            "issuer": {"url": "https://oauth.id.jumpcloud.com/", "audiences": ["5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"]},
            "claimMappings": {
                "username": {"claim": "email", "prefix": "jc:"},
                "groups": {"claim": "groups", "prefix": "jc:"},
            },
        }
    ]
    kubeconfig = yaml.safe_load((tmp_path / "rendered" / SELF_MANAGED_PAIR / "kubeconfig.yaml").read_text())
    assert kubeconfig["clusters"] == [
        {
            "name": "onprem",
            "cluster": {"server": cluster.endpoint, "certificate-authority-data": cluster.certificate_authority},
        }
    ]


@pytest.mark.parametrize(
    ("stack", "idp", "issuer"),
    [
        (SHARED_OKTA_PAIR, "okta-fleet", "https://acme.okta.com/oauth2/ausfleet"),
        (
            SHARED_ENTRA_PAIR,
            "entra-fleet",
            f"https://login.microsoftonline.com/{SHARED_APPLICATIONS['entra-fleet-idp']['tenant_id']}/v2.0",
        ),
    ],
)
def test_a_pair_of_a_shared_application_plans_its_trust_from_the_idp_stacks_state(
    checked: TerraformCheck, stack: str, idp: str, issuer: str
) -> None:
    """Only the cluster's identity provider config is created; the client id and issuer come from the
    `<idp>-idp` stack's state through terraform_remote_state, in the trust and in `oidc_config` alike."""
    plan = checked.runs.get(stack, "plan")
    assert plan.returncode == 2, plan.output
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in plan.output, plan.output
    client_id = SHARED_APPLICATIONS[f"{idp}-idp"]["client_id"]
    resources, outputs = plan.output.split("Changes to Outputs")
    assert re.search(r"# aws_eks_identity_provider_config\.\S+ will be created", resources), resources
    assert re.search(r'cluster_name\s+= "FleetCluster"', resources), resources
    for text in (resources, outputs):
        assert re.search(rf'client_id\s+= "{re.escape(client_id)}"', text), text
        assert re.search(rf'issuer_url\s+= "{re.escape(issuer)}"', text), text


# --- the orphan guard on the applied state (contract 2) -------------------------------------------


def applied_state(checked: TerraformCheck) -> Path:
    apply = checked.runs.get(CREATED, "apply")
    assert apply.returncode == 0, apply.output
    return checked.state_dir / f"terraform.{CREATED}.tfstate"


def project_without_the_created_cluster(checked: TerraformCheck, folder: Path, state: Path) -> tuple[Path, Path]:
    """A project whose earlier synth made the matrix's stacks and whose `demo-cluster` state is `state`, its
    config without cluster `demo` now; (project root, config file)."""
    shutil.copytree(checked.matrix.stacks_dir, folder / "cdktf.out" / "stacks")
    shutil.copy(state, folder / f"terraform.{CREATED}.tfstate")
    document = yaml.safe_load(MATRIX_CONFIG.read_text(encoding="utf-8"))
    del document["clusters"]["demo"]
    # The self-managed cluster's CA file is relative to the matrix config's folder.
    onprem = document["clusters"]["onprem"]
    onprem["certificate_authority_file"] = str(MATRIX_CONFIG.parent / onprem["certificate_authority_file"])
    config = folder / "oidc.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return folder, config


def without_config_warnings(stderr: str) -> str:
    """stderr without the config's own warnings (the matrix's GKE Identity Service deprecation)."""
    return "".join(line for line in stderr.splitlines(True) if "uses Identity Service for GKE" not in line)


def synth_in(project: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """`python main.py synth` for the project root `project`, in this process."""
    import main

    monkeypatch.setattr(main, "PROJECT_ROOT", project)
    monkeypatch.setenv("CDKTF_OUTDIR", str(project / "cdktf.out"))
    return main.main(["synth", "--config", str(config)])


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        str(path.relative_to(root)): None if path.is_dir() else path.read_bytes() for path in sorted(root.rglob("*"))
    }


def test_synth_keeps_a_dropped_stack_whose_applied_state_owns_resources(
    checked: TerraformCheck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project, config = project_without_the_created_cluster(checked, tmp_path, applied_state(checked))
    before = tree(project)
    assert synth_in(project, config, monkeypatch) == 2
    error = without_config_warnings(capsys.readouterr().err)
    count = planned_resource_count(checked.matrix.stacks[CREATED])
    assert error.startswith(f"error: {config}: stack {CREATED}: no longer made by this config, but its local state ")
    assert f"terraform.{CREATED}.tfstate still lists {count} resources (aws_" in error
    assert f"`cdktf destroy {CREATED}`" in error
    assert "Traceback" not in error
    assert tree(project) == before  # the pair stack's folder too: nothing is written


def test_synth_drops_the_stack_once_terraform_emptied_its_state(
    checked: TerraformCheck,
    terraform: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emptied = tmp_path / "emptied"
    emptied.mkdir()
    state = emptied / f"terraform.{CREATED}.tfstate"
    shutil.copy(applied_state(checked), state)

    def run(command: str, *addresses: str) -> str:
        result = subprocess.run(
            [terraform, "state", command, f"-state={state}", *addresses],
            cwd=emptied,
            env=checked.env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_SECONDS,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    # What `cdktf destroy` leaves, without destroying what moto holds for the other tests.
    run("rm", *run("list").split())
    assert json.loads(state.read_text(encoding="utf-8"))["resources"] == []

    project, config = project_without_the_created_cluster(checked, tmp_path / "project", state)
    assert synth_in(project, config, monkeypatch) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    stacks = project / "cdktf.out" / "stacks"
    for gone in (CREATED, CREATED_PAIR):
        assert not (stacks / gone).exists()
        assert f"the config no longer makes stack {gone!r}" in printed
    assert (stacks / EXISTING_PAIR / "cdk.tf.json").is_file()


# --- values that are Terraform expressions (library use; the config refuses them) ----------------------


def test_a_client_id_and_prefix_that_are_expressions_are_planned_as_text_and_read_no_file(
    terraform: str, moto: str, tmp_path: Path
) -> None:
    """An existing-cluster pair stack built from the constructs, planned against moto: the identity provider
    config and the `oidc_config` output carry the `${file(…)}` text itself, and the file's content appears
    nowhere in the plan."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("marker-of-a-file-terraform-must-not-read", encoding="utf-8")
    client_id = f'${{file("{secret_file}")}}'
    prefix = f'%{{if(true)}}${{file("{secret_file}")}}%{{endif}}:'
    region = "eu-west-1"
    aws_client("eks", moto, region).create_cluster(
        name="Hostile", roleArn="arn:aws:iam::123456789012:role/hostile", resourcesVpcConfig={"subnetIds": []}
    )
    from cdktf_cdktf_provider_aws.provider import AwsProvider

    app = cdktf.App(outdir=str(tmp_path / "cdktf.out"))
    stack = cdktf.TerraformStack(app, "hostile-jc")
    AwsProvider(stack, "aws", region=region)
    idp = JumpCloudOidcClient(
        stack, "idp", props=JumpCloudOidcClientProps(name="hostile-jc", prefix=prefix, client_id=client_id)
    )
    cluster = EksCluster.from_cluster_name(stack, "cluster", cluster_name="Hostile", region=region)
    props = EksOidcIdentityProviderProps(cluster=cluster, oidc_config=idp.oidc_config, config_name="jc")
    EksOidcIdentityProvider(stack, "trust", props=props)
    cdktf.TerraformOutput(stack, "oidc_config", value=idp.oidc_config.as_output())
    app.synth()

    copy = tmp_path / "copy"
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    mirror = plugin_mirror()
    prepare_copy(
        tmp_path / "cdktf.out" / "stacks" / "hostile-jc",
        copy,
        state_dir=state_dir,
        aws_version=mirrored_aws_version(mirror),
        moto_url=moto,
    )
    env = terraform_env(tmp_path)
    for args in (
        ["init", "-input=false", "-no-color", f"-plugin-dir={mirror}"],
        ["plan", "-refresh=false", "-input=false", "-no-color", "-out=tfplan"],
    ):
        run = subprocess.run(
            [terraform, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr
    shown = subprocess.run(
        [terraform, "show", "-json", "tfplan"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    planned = json.loads(shown.stdout)["planned_values"]
    (config,) = [r for r in planned["root_module"]["resources"] if r["type"] == "aws_eks_identity_provider_config"]
    (oidc,) = config["values"]["oidc"]
    assert (oidc["client_id"], oidc["username_prefix"], oidc["groups_prefix"]) == (client_id, prefix, prefix)
    output = planned["outputs"]["oidc_config"]["value"]
    assert (output["client_id"], output["username_prefix"]) == (client_id, prefix)
    assert "marker-of-a-file" not in shown.stdout

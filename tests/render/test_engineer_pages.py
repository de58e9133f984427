"""A fleet of shared applications rendered end to end (issue 21): the outputs a deploy of
tests/fixtures/shared_applications.yaml writes (the `<idp>-idp` stacks' beside the pairs', in both outputs
forms) → one page per identity provider (`all-clusters/<idp>.md`), checked against the config's access
rules; kubeconfigs of a shared application's pairs that kubelogin keeps one token for; the support line in
every engineer guide; the top README as tables."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from render_support import (
    OKTA_SCOPES,
    Pki,
    as_terraform_output,
    cluster_output,
    oidc_config,
    run_render,
    shellcheck,
    tree_snapshot,
    write_json,
)

from stacks.config import Config, StackKind, load_config

FIXTURE = Path(__file__).parents[1] / "fixtures" / "shared_applications.yaml"
SUPPORT = "`#k8s-access on Slack`"
ISSUERS = {
    "okta-fleet": "https://acme.okta.com/oauth2/ausfleet",
    "entra-fleet": "https://login.microsoftonline.com/7e57a000-0000-4000-8000-000000000000/v2.0",
    "okta-solo": "https://acme.okta.com/oauth2/aussolo",
    "jc": "https://oauth.id.jumpcloud.com/",
}


@dataclass(frozen=True)
class Rendered:
    config: Config
    out: Path
    outputs: dict[str, Any]
    stderr: str


def deployed_outputs(config: Config, ca_data: str) -> dict[str, Any]:
    """What `cdktf deploy '*' --outputs-file` writes for the fixture: a shared application's client id in its
    `<idp>-idp` stack and in each of its pairs (read from it), a client id per pair otherwise."""
    outputs: dict[str, Any] = {}

    def oidc(idp: str, client_id: str) -> dict[str, Any]:
        return oidc_config(client_id=client_id, issuer_url=ISSUERS[idp], prefix=config.prefix(idp), scopes=OKTA_SCOPES)

    for stack, idp in config.application_stacks().items():
        outputs[stack] = {"oidc_config": oidc(idp, f"client-{idp}")}
    for spec in config.stacks():
        if spec.kind is not StackKind.PAIR:
            continue
        assert spec.identity_provider is not None
        cluster = config.clusters[spec.cluster]
        location = getattr(cluster, "region", None) or getattr(cluster, "location", None)
        stack: dict[str, Any] = {
            "cluster": cluster_output(
                name=spec.cluster,
                type=cluster.type,
                location=location,  # type: ignore[arg-type]
                endpoint=f"https://{spec.cluster}.k8s.example",
                ca_data=ca_data,
            )
        }
        idp = config.identity_providers[spec.identity_provider]
        if cluster.facts.workforce_pool:
            stack["workforce"] = {
                "pool": "k8s-engineers",
                "provider": spec.identity_provider,
                "project": "acme-fed",
                "location": "us-central1",
                "cluster_name": "fed-cluster",
            }
        elif idp.shared_application:
            stack["oidc_config"] = outputs[f"{spec.identity_provider}-idp"]["oidc_config"]
        else:
            client_id = getattr(idp, "client_id", None) or f"client-{spec.name}"
            stack["oidc_config"] = oidc(spec.identity_provider, client_id)
        outputs[spec.name] = stack
    return outputs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Rendered:
    folder = tmp_path_factory.mktemp("shared")
    config = load_config(FIXTURE)
    outputs = deployed_outputs(config, pki.ca_data)
    result = run_render(FIXTURE, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return Rendered(config, folder / "out", outputs, result.stderr)


def test_both_outputs_forms_with_the_idp_stacks_render_the_same(rendered: Rendered, tmp_path: Path) -> None:
    folder = tmp_path / "terraform-output"
    folder.mkdir()
    for stack, outputs in rendered.outputs.items():
        write_json(folder / f"{stack}.json", as_terraform_output(outputs))
    assert (folder / "okta-fleet-idp.json").is_file()
    result = run_render(FIXTURE, folder, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert tree_snapshot(tmp_path / "out") == tree_snapshot(rendered.out)


def exec_args(kubeconfig: Path) -> dict[str, str]:
    """`--name=value` arguments of the kubeconfig's one kubelogin user."""
    (user,) = yaml.safe_load(kubeconfig.read_text(encoding="utf-8"))["users"]
    return dict(arg.removeprefix("--").split("=", 1) for arg in user["user"]["exec"]["args"] if "=" in arg)


@pytest.mark.parametrize("idp", ["okta-fleet", "entra-fleet"])
def test_every_pair_of_a_shared_application_signs_in_with_one_issuer_and_client_id(
    rendered: Rendered, idp: str
) -> None:
    """One kubelogin token cache entry (it is keyed by issuer and client id) for every cluster of the IdP."""
    pairs = [
        spec.name
        for spec in rendered.config.stacks()
        if spec.identity_provider == idp and rendered.config.application_stack(spec.cluster, idp)
    ]
    assert len(pairs) >= 3
    seen = {
        (args["oidc-issuer-url"], args["oidc-client-id"])
        for args in (exec_args(rendered.out / pair / "kubeconfig.yaml") for pair in pairs)
    }
    assert seen == {(ISSUERS[idp], f"client-{idp}")}
    # The all-clusters script holds each context once, every one with those arguments.
    script = (rendered.out / "all-clusters" / f"{idp}.sh").read_text(encoding="utf-8")
    assert script.count(f"--oidc-client-id=client-{idp}") == len(pairs)


def page(rendered: Rendered, idp: str) -> str:
    return (rendered.out / "all-clusters" / f"{idp}.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def table(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in `text` (from its header, or from its delimiter row when
    `text` starts inside the header), each its cells (code spans unwrapped)."""
    lines = text.splitlines()
    delimiter = next(index for index, line in enumerate(lines) if re.fullmatch(r"\|(---\|)+", line))
    rows = []
    for line in lines[delimiter + 1 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().replace("`", "") for cell in line.strip("|").split(" | ")])
    return rows


def test_each_page_lists_every_cluster_of_its_idp_with_its_context(rendered: Rendered) -> None:
    config = rendered.config
    for idp in config.identity_providers:
        pairs = [spec for spec in config.stacks() if spec.identity_provider == idp]
        rows = table(section(page(rendered, idp), "Clusters"))
        contexts = [row[0] for row in rows]
        expected = [
            spec.cluster if len(config.clusters[spec.cluster].identity_providers) == 1 else spec.name for spec in pairs
        ]
        assert contexts == expected, idp
        assert [row[3] for row in rows] == [f"https://{spec.cluster}.k8s.example" for spec in pairs]


def test_the_grants_are_the_access_rules_of_each_cluster(rendered: Rendered) -> None:
    """Who gets which role where, read back from each page, is exactly `access:` applied per cluster."""
    config = rendered.config
    for idp in config.identity_providers:
        pairs = [spec for spec in config.stacks() if spec.identity_provider == idp]
        context_of = {
            spec.cluster: spec.cluster if len(config.clusters[spec.cluster].identity_providers) == 1 else spec.name
            for spec in pairs
        }
        expected: set[tuple[str, str, str, str, str]] = set()
        for cluster, context in context_of.items():
            for rule in config.access_rules_for(cluster, idp):
                who = f"group {rule.group}" if rule.group is not None else f"user {rule.user}"
                where = "every namespace" if rule.namespace is None else f"namespace {rule.namespace}"
                expected.add((who, f"ClusterRole {rule.cluster_role}", where, context, ""))
        text = section(page(rendered, idp), "Who may do what")
        found: set[tuple[str, str, str, str, str]] = set()
        for who, role, where, on in table(text) if "| who |" in text else []:
            contexts = list(context_of.values()) if on == "every cluster above" else on.split(", ")
            found |= {(who, role, where, context, "") for context in contexts}
        assert found == expected, idp
        ungranted = [context for cluster, context in context_of.items() if not config.access_rules_for(cluster, idp)]
        if ungranted:
            assert f"No rule grants anything on {', '.join(f'`{c}`' for c in ungranted)}:" in text, idp
        else:
            assert "No rule grants anything" not in text, idp


def test_the_fixture_grants_as_an_engineer_reads_them(rendered: Rendered) -> None:
    rows = table(section(page(rendered, "okta-fleet"), "Who may do what"))
    assert rows == [
        ["group k8s-admins", "ClusterRole cluster-admin", "every namespace", "every cluster above"],
        ["group k8s-developers", "ClusterRole edit", "namespace team-a", "stage-okta-fleet, data-okta-fleet"],
        ["user jane@example.com", "ClusterRole view", "every namespace", "prod-okta-fleet"],
    ]
    # The workforce cluster names the same groups through the pool; the page says how each cluster names you.
    text = section(page(rendered, "okta-fleet"), "Who may do what")
    assert "- On `prod-okta-fleet`, `stage-okta-fleet`, `data-okta-fleet`, `onprem-okta-fleet`: Kubernetes" in text
    assert "- On `fed`: Kubernetes knows you as `principal://iam.googleapis.com/locations/global/" in text


def test_a_shared_application_is_one_sign_in_for_all_and_says_for_how_long(rendered: Rendered) -> None:
    signing_in = " ".join(section(page(rendered, "okta-fleet"), "Signing in").split())
    assert (
        "Every cluster below that you reach through kubelogin (4 of them) trusts the same application of "
        "`okta-fleet` (issuer `https://acme.okta.com/oauth2/ausfleet`, client id `client-okta-fleet`), so "
        "kubelogin keeps one token for all of them: one browser sign-in covers them all."
    ) in signing_in
    # The token lifetime facts of the engineer guides.
    assert "the ID token lasts as long as the identity provider issues it for (usually an hour)" in signing_in
    # The workforce cluster signs in through gcloud.
    assert "`fed` signs in through gcloud instead" in signing_in


def test_a_client_per_cluster_is_a_sign_in_per_cluster(tmp_path: Path, pki: Pki) -> None:
    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    document["identity_providers"]["okta-fleet"]["application"] = "per_cluster"
    (tmp_path / "pki").mkdir()
    shutil.copy(FIXTURE.parent / "pki" / "onprem-ca.crt", tmp_path / "pki" / "onprem-ca.crt")
    config_file = tmp_path / "oidc.yaml"
    config_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    config = load_config(config_file)
    result = run_render(
        config_file, write_json(tmp_path / "outputs.json", deployed_outputs(config, pki.ca_data)), tmp_path / "out"
    )
    assert result.returncode == 0, result.stderr
    signing_in = " ".join(
        section((tmp_path / "out" / "all-clusters" / "okta-fleet.md").read_text(), "Signing in").split()
    )
    assert (
        "Each cluster below has an application of its own there, so kubelogin keeps a token per cluster" in signing_in
    )
    assert "one browser sign-in covers them all" not in signing_in


def test_the_support_line_is_in_every_engineer_guide(rendered: Rendered) -> None:
    guides = [rendered.out / "README.md", *rendered.out.glob("*/README.md"), *rendered.out.glob("all-clusters/*.md")]
    assert len(guides) == 1 + 11 + 4  # the top README, a README per pair stack, a page per IdP
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        assert SUPPORT in text, guide
    stack_guide = (rendered.out / "prod-okta-fleet" / "README.md").read_text(encoding="utf-8")
    assert f"Help and access: {SUPPORT}." in stack_guide
    assert f"ask your platform team ({SUPPORT}) for access" in stack_guide
    assert f"For more access, ask {SUPPORT}." in page(rendered, "jc")


def test_the_pages_sh_block_passes_shellcheck(rendered: Rendered, tmp_path: Path) -> None:
    (block,) = re.findall(r"```sh\n(.*?)```", page(rendered, "okta-fleet"), re.DOTALL)
    assert block == "./okta-fleet.sh\n"
    script = tmp_path / "block.sh"
    script.write_text("#!/usr/bin/env bash\n" + block, encoding="utf-8")
    result = shellcheck(script)
    assert result.returncode == 0, result.stdout


def test_the_top_readme_is_tables(rendered: Rendered) -> None:
    readme = (rendered.out / "README.md").read_text(encoding="utf-8")
    assert "### " not in readme.split("## Clusters", 1)[1]
    rows = table(section(readme, "Clusters"))
    assert [row[3] for row in rows] == [spec.name for spec in rendered.config.stacks() if spec.kind is StackKind.PAIR]
    idps = {row[0]: row[2] for row in table(readme.split("| identity provider | clusters |", 1)[1])}
    assert idps == {
        "okta-fleet": "one sign-in for all and gcloud through the workforce pool",
        "entra-fleet": "one sign-in for all",
        "okta-solo": "kubelogin",
        "jc": "one sign-in for all",
    }


def test_the_idp_stacks_outputs_are_checked_like_every_output(rendered: Rendered, tmp_path: Path) -> None:
    outputs = {
        **rendered.outputs,
        "okta-fleet-idp": {"oidc_config": {**rendered.outputs["okta-fleet-idp"]["oidc_config"]}},
    }
    outputs["okta-fleet-idp"]["oidc_config"]["client_id"] = "client\nwith a line break"
    result = run_render(FIXTURE, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out")
    assert result.returncode == 2
    assert "okta-fleet-idp.oidc_config.client_id: holds the control character U+000A at index 6" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_pair_applied_before_its_application_changed_is_warned_about(rendered: Rendered, tmp_path: Path) -> None:
    outputs = {
        **rendered.outputs,
        "okta-fleet-idp": {"oidc_config": {**rendered.outputs["okta-fleet-idp"]["oidc_config"]}},
    }
    outputs["okta-fleet-idp"]["oidc_config"]["client_id"] = "client-replaced"
    result = run_render(FIXTURE, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "is not the shared application's" in line]
    assert len(warnings) == 4
    assert warnings[0] == (
        "warning: prod-okta-fleet: its oidc_config (issuer https://acme.okta.com/oauth2/ausfleet, client id "
        "client-okta-fleet) is not the shared application's of okta-fleet-idp (issuer "
        "https://acme.okta.com/oauth2/ausfleet, client id client-replaced): its cluster still trusts the "
        "application it was applied with; apply prod-okta-fleet again, then render again"
    )
    assert "is not the shared application's" not in rendered.stderr


def test_the_idp_stacks_outputs_are_optional(rendered: Rendered, tmp_path: Path) -> None:
    outputs = {stack: value for stack, value in rendered.outputs.items() if not stack.endswith("-idp")}
    result = run_render(FIXTURE, write_json(tmp_path / "outputs.json", outputs), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert tree_snapshot(tmp_path / "out") == tree_snapshot(rendered.out)

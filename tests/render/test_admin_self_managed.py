"""Self-managed (`type: kubernetes`) clusters in the render step (contract 5): the kube-apiserver
`AuthenticationConfiguration`, read back with PyYAML and checked field by field against the upstream
type `k8s.io/apiserver/pkg/apis/apiserver/v1` and the rules of its validation
(`pkg/apis/apiserver/validation`), one snapshot per IdP type, the admins' README, and the developer
script and kubeconfig through real kubectl against a local HTTPS server.
"""

from __future__ import annotations

import base64
import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from cryptography import x509
from render_support import (
    GOOGLE_SCOPES,
    OKTA_SCOPES,
    ApiServer,
    Pki,
    Tools,
    cluster_output,
    kubeconfig_view,
    kubectl,
    named,
    oidc_config,
    run_render,
    run_script,
    token_for,
    tree_snapshot,
    write_json,
)
from syrupy.assertion import SnapshotAssertion

from constructs_lib.outputs import shorten

SECRET = "GOCSPX-s3cret"
TENANT = "2f1c4a3b-0000-4000-8000-00000000cafe"
SINGLE_IDP_CLUSTERS = {"k-okta": "okta-main", "k-entra": "entra", "k-gws": "gws", "k-jc": "jc", "k-sso": "sso"}
"""One self-managed cluster per IdP type, each with that IdP only."""

CONFIG = """\
version: 1
identity_providers:
  okta-main: {{type: okta, prefix: "okta:"}}
  entra: {{type: entra_id, prefix: "entra:", security_groups: [k8s-admins]}}
  gws: {{type: google_workspace, prefix: "gws:", client_id: 1234-abc.apps.googleusercontent.com}}
  jc: {{type: jumpcloud, prefix: "jc:", client_id: jc-app}}
  sso: {{type: oidc, prefix: "sso:", issuer_url: "https://sso.acme.internal/realms/eng", client_id: kubernetes,
         certificate_authority_data: {ca}}}
clusters:
  onprem:
    type: kubernetes
    endpoint: https://k8s.acme.internal:6443
    certificate_authority_data: {ca}
    identity_providers: [okta-main, entra, gws, jc]
{singles}
  multi:
    type: eks
    region: us-west-2
    cluster_name: Multi
    identity_providers: [okta-main, jc]
access:
  - {{identity_provider: okta-main, group: k8s-admins, cluster_role: cluster-admin}}
  - {{identity_provider: gws, user: jane@example.com, cluster_role: view, clusters: [onprem]}}
"""


def config_text(pki: Pki, **changes: str) -> str:
    singles = "".join(
        f"  {cluster}: {{type: kubernetes, endpoint: 'https://{cluster}.acme.internal:6443', "
        f"certificate_authority_data: {pki.ca_data}, identity_providers: [{idp}]}}\n"
        for cluster, idp in SINGLE_IDP_CLUSTERS.items()
    )
    text = CONFIG.format(ca=pki.ca_data, singles=singles)
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def pair_outputs(stack: str, idp: str, *, server: str, pki: Pki) -> dict[str, Any]:
    """A pair stack's outputs as its deploy would write them (contract 4)."""
    cluster_key = stack.removesuffix(f"-{idp}")
    self_managed = cluster_key != "multi"
    settings: dict[str, Any] = {
        "okta-main": {
            "issuer_url": f"https://acme.okta.com/oauth2/aus-{cluster_key}",
            "prefix": "okta:",
            "scopes": OKTA_SCOPES,
        },
        "entra": {
            "issuer_url": f"https://login.microsoftonline.com/{TENANT}/v2.0",
            "prefix": "entra:",
            "scopes": ["openid", "profile", "email", "offline_access"],
            "user_claim": "preferred_username",
        },
        "gws": {
            "issuer_url": "https://accounts.google.com",
            "prefix": "gws:",
            "scopes": GOOGLE_SCOPES,
            "groups_claim": None,
            "requires_client_secret": True,
        },
        "jc": {"issuer_url": "https://oauth.id.jumpcloud.com/", "prefix": "jc:", "scopes": OKTA_SCOPES[:3]},
        # An issuer behind a private CA (the test CA: any CA will do for the file).
        "sso": {
            "issuer_url": "https://sso.acme.internal/realms/eng",
            "prefix": "sso:",
            "scopes": OKTA_SCOPES[:3],
            "certificate_authority_data": pki.ca_data,
        },
    }[idp]
    outputs: dict[str, Any] = {
        "oidc_config": oidc_config(client_id=f"client-{stack}", **settings),
        "cluster": cluster_output(
            name="Multi" if not self_managed else cluster_key,
            type="kubernetes" if self_managed else "eks",
            location=None if self_managed else "us-west-2",  # type: ignore[arg-type]
            endpoint=f"{server}/{cluster_key}",
            ca_data=pki.ca_data,
        ),
    }
    if idp == "gws":
        outputs["oidc_client_secret"] = SECRET
    return outputs


def all_outputs(server: str, pki: Pki) -> dict[str, dict[str, Any]]:
    pairs = [("onprem", idp) for idp in ("okta-main", "entra", "gws", "jc")]
    pairs += list(SINGLE_IDP_CLUSTERS.items())
    pairs += [("multi", "okta-main"), ("multi", "jc")]
    return {f"{cluster}-{idp}": pair_outputs(f"{cluster}-{idp}", idp, server=server, pki=pki) for cluster, idp in pairs}


@dataclass(frozen=True)
class Rendered:
    out: Path
    outputs: dict[str, dict[str, Any]]

    def authentication_config(self, cluster: str) -> dict[str, Any]:
        document: dict[str, Any] = yaml.safe_load(
            (self.out / "admin" / cluster / "authentication-config.yaml").read_text()
        )
        return document


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, pki: Pki, server: ApiServer) -> Rendered:
    folder = tmp_path_factory.mktemp("self-managed")
    config = folder / "oidc.yaml"
    config.write_text(config_text(pki), encoding="utf-8")
    outputs = all_outputs(server.url, pki)
    result = run_render(config, write_json(folder / "outputs.json", outputs), folder / "out")
    assert result.returncode == 0, result.stderr
    return Rendered(folder / "out", outputs)


# --- the upstream type and its validation --------------------------------------------------------

# Field names of the upstream Go types (their `json:` tags), k8s.io/apiserver/pkg/apis/apiserver/v1.
AUTHENTICATION_CONFIGURATION_FIELDS = {"apiVersion", "kind", "jwt", "anonymous"}
JWT_AUTHENTICATOR_FIELDS = {"issuer", "claimValidationRules", "claimMappings", "userValidationRules"}
ISSUER_FIELDS = {
    "url",
    "discoveryURL",
    "certificateAuthority",
    "audiences",
    "audienceMatchPolicy",
    "egressSelectorType",
}
CLAIM_MAPPINGS_FIELDS = {"username", "groups", "uid", "extra"}
PREFIXED_CLAIM_OR_EXPRESSION_FIELDS = {"claim", "prefix", "expression"}
MAX_JWT_AUTHENTICATORS = 64


def upstream_problems(document: dict[str, Any]) -> list[str]:
    """The rules of upstream's ValidateAuthenticationConfiguration that apply to what we write (no CEL,
    no discovery URL, no anonymous): unknown fields, at most 64 authenticators, unique issuer URLs,
    https issuer without credentials, query or fragment, a certificate authority that holds PEM
    certificates (`cert.NewPoolFromBytes`), non-empty unique audiences (a single one needs no match
    policy), username claim required, a prefix whenever a claim is set."""
    problems = [f"unknown field {key}" for key in set(document) - AUTHENTICATION_CONFIGURATION_FIELDS]
    if (document.get("apiVersion"), document.get("kind")) != (
        "apiserver.config.k8s.io/v1",
        "AuthenticationConfiguration",
    ):
        problems.append("not an apiserver.config.k8s.io/v1 AuthenticationConfiguration")
    authenticators = document.get("jwt") or []
    if len(authenticators) > MAX_JWT_AUTHENTICATORS:
        return [*problems, f"jwt: must have at most {MAX_JWT_AUTHENTICATORS} items"]
    seen: set[str] = set()
    for index, authenticator in enumerate(authenticators):
        where = f"jwt[{index}]"
        problems += [f"{where}: unknown field {key}" for key in set(authenticator) - JWT_AUTHENTICATOR_FIELDS]
        issuer = authenticator.get("issuer", {})
        problems += [f"{where}.issuer: unknown field {key}" for key in set(issuer) - ISSUER_FIELDS]
        url = issuer.get("url", "")
        parts = urlsplit(url)
        if not url:
            problems.append(f"{where}.issuer.url: Required value")
        elif parts.scheme != "https":
            problems.append(f"{where}.issuer.url: URL scheme must be https")
        if "@" in parts.netloc:
            problems.append(f"{where}.issuer.url: URL must not contain a username or password")
        if parts.query:
            problems.append(f"{where}.issuer.url: URL must not contain a query")
        if parts.fragment:
            problems.append(f"{where}.issuer.url: URL must not contain a fragment")
        if url in seen:
            problems.append(f"{where}.issuer.url: Duplicate value")
        seen.add(url)
        if "certificateAuthority" in issuer and not _pem_certificates(issuer["certificateAuthority"]):
            problems.append(f"{where}.issuer.certificateAuthority: Invalid value")
        audiences = issuer.get("audiences") or []
        if not audiences:
            problems.append(f"{where}.issuer.audiences: at least one is required")
        if any(not isinstance(audience, str) or not audience for audience in audiences):
            problems.append(f"{where}.issuer.audiences: Required value")
        if len(set(audiences)) != len(audiences):
            problems.append(f"{where}.issuer.audiences: Duplicate value")
        if len(audiences) > 1 and issuer.get("audienceMatchPolicy") != "MatchAny":
            problems.append(f"{where}.issuer.audienceMatchPolicy: must be MatchAny for multiple audiences")
        mappings = authenticator.get("claimMappings", {})
        problems += [f"{where}.claimMappings: unknown field {key}" for key in set(mappings) - CLAIM_MAPPINGS_FIELDS]
        for name in ("username", "groups"):
            mapping = mappings.get(name, {})
            extra = set(mapping) - PREFIXED_CLAIM_OR_EXPRESSION_FIELDS
            problems += [f"{where}.claimMappings.{name}: unknown field {key}" for key in extra]
            if name == "username" and not mapping.get("claim") and not mapping.get("expression"):
                problems.append(f"{where}.claimMappings.username: claim or expression is required")
            if mapping.get("claim") and not isinstance(mapping.get("prefix"), str):
                problems.append(f"{where}.claimMappings.{name}.prefix: prefix is required when claim is set")
    return problems


def _pem_certificates(text: object) -> bool:
    """What `cert.NewPoolFromBytes` takes: PEM text holding at least one certificate, each one parsing."""
    if not isinstance(text, str):
        return False
    try:
        return bool(x509.load_pem_x509_certificates(text.encode()))
    except ValueError:
        return False


def test_the_upstream_rules_catch_what_kube_apiserver_refuses() -> None:
    """The checker above can fail: each rule on a document that breaks it."""
    good = {
        "apiVersion": "apiserver.config.k8s.io/v1",
        "kind": "AuthenticationConfiguration",
        "jwt": [
            {
                "issuer": {"url": "https://a.example.com", "audiences": ["x"]},
                "claimMappings": {"username": {"claim": "email", "prefix": ""}},
            }
        ],
    }
    assert upstream_problems(good) == []

    def broken(change: Any) -> list[str]:
        document = copy.deepcopy(good)
        change(document)
        return upstream_problems(document)

    entry = lambda document: document["jwt"][0]  # noqa: E731
    assert broken(lambda d: entry(d)["issuer"].update(url="http://a.example.com")) == [
        "jwt[0].issuer.url: URL scheme must be https"
    ]
    assert broken(lambda d: entry(d)["issuer"].update(url="https://u:p@a.example.com")) == [
        "jwt[0].issuer.url: URL must not contain a username or password"
    ]
    assert broken(lambda d: entry(d)["issuer"].update(url="https://a.example.com/?q=1")) == [
        "jwt[0].issuer.url: URL must not contain a query"
    ]
    assert broken(lambda d: entry(d)["issuer"].update(url="https://a.example.com/#f")) == [
        "jwt[0].issuer.url: URL must not contain a fragment"
    ]
    assert broken(lambda d: d["jwt"].append(copy.deepcopy(entry(d)))) == ["jwt[1].issuer.url: Duplicate value"]
    assert broken(lambda d: entry(d)["issuer"].update(audiences=[])) == [
        "jwt[0].issuer.audiences: at least one is required"
    ]
    assert broken(lambda d: entry(d)["issuer"].update(audiences=["x", "y"])) == [
        "jwt[0].issuer.audienceMatchPolicy: must be MatchAny for multiple audiences"
    ]
    assert broken(lambda d: entry(d)["claimMappings"]["username"].pop("prefix")) == [
        "jwt[0].claimMappings.username.prefix: prefix is required when claim is set"
    ]
    assert broken(lambda d: entry(d)["claimMappings"].update(groups={"claim": "groups"})) == [
        "jwt[0].claimMappings.groups.prefix: prefix is required when claim is set"
    ]
    assert broken(lambda d: entry(d)["claimMappings"].update(username={})) == [
        "jwt[0].claimMappings.username: claim or expression is required"
    ]
    assert broken(lambda d: entry(d)["issuer"].update(audience="x")) == ["jwt[0].issuer: unknown field audience"]
    # A CA given as base64 (as outputs hold it) instead of PEM text, or as no certificate at all.
    for not_pem in (base64.b64encode(b"-----BEGIN CERTIFICATE-----").decode(), "-----BEGIN PRIVATE KEY-----\n"):
        assert broken(lambda d, ca=not_pem: entry(d)["issuer"].update(certificateAuthority=ca)) == [
            "jwt[0].issuer.certificateAuthority: Invalid value"
        ]
    many = [
        {
            "issuer": {"url": f"https://{i}.example.com", "audiences": ["x"]},
            "claimMappings": entry(good)["claimMappings"],
        }
        for i in range(65)
    ]
    assert broken(lambda d: d.update(jwt=many)) == ["jwt: must have at most 64 items"]


def test_the_authentication_config_is_what_kube_apiserver_accepts(rendered: Rendered) -> None:
    for cluster in ("onprem", *SINGLE_IDP_CLUSTERS):
        assert upstream_problems(rendered.authentication_config(cluster)) == [], cluster


def test_one_jwt_authenticator_per_idp_field_by_field(rendered: Rendered) -> None:
    document = rendered.authentication_config("onprem")
    assert (document["apiVersion"], document["kind"]) == ("apiserver.config.k8s.io/v1", "AuthenticationConfiguration")
    assert set(document) == {"apiVersion", "kind", "jwt"}
    stacks = ["onprem-okta-main", "onprem-entra", "onprem-gws", "onprem-jc"]
    assert len(document["jwt"]) == len(stacks)
    for authenticator, stack in zip(document["jwt"], stacks, strict=True):
        oidc = rendered.outputs[stack]["oidc_config"]
        assert set(authenticator) == {"issuer", "claimMappings"}
        # Issuer: the stack's issuer exactly, its client id as the only audience, no match policy.
        assert authenticator["issuer"] == {"url": oidc["issuer_url"], "audiences": [oidc["client_id"]]}
        mappings = authenticator["claimMappings"]
        assert mappings["username"] == {"claim": oidc["user_claim"], "prefix": oidc["username_prefix"]}
        if oidc["groups_claim"] is None:
            # Google Workspace: no groups claim in its tokens, so no groups mapping at all.
            assert set(mappings) == {"username"}
        else:
            assert set(mappings) == {"username", "groups"}
            assert mappings["groups"] == {"claim": oidc["groups_claim"], "prefix": oidc["groups_prefix"]}
    # The client secret of Google Workspace is for kubelogin, never for the API server.
    text = (rendered.out / "admin" / "onprem" / "authentication-config.yaml").read_text(encoding="utf-8")
    assert SECRET not in text


def test_an_issuer_behind_a_private_ca_comes_with_that_ca_as_pem(rendered: Rendered, pki: Pki) -> None:
    """Without `issuer.certificateAuthority` kube-apiserver can't reach such an issuer: every sign-in fails
    with `authenticator not initialized` (checked against a real kube-apiserver 1.36)."""
    (authenticator,) = rendered.authentication_config("k-sso")["jwt"]
    assert authenticator["issuer"] == {
        "url": "https://sso.acme.internal/realms/eng",
        "audiences": ["client-k-sso-sso"],
        "certificateAuthority": pki.ca_pem.decode(),
    }
    # The other IdPs' issuers are publicly trusted: kube-apiserver keeps the system's roots for them.
    for cluster in ("k-okta", "k-entra", "k-gws", "k-jc"):
        (other,) = rendered.authentication_config(cluster)["jwt"]
        assert "certificateAuthority" not in other["issuer"]


# Not k-sso: its file holds the test CA, made anew every run (its field test above checks it).
@pytest.mark.parametrize("cluster", [cluster for cluster in SINGLE_IDP_CLUSTERS if cluster != "k-sso"])
def test_snapshot_of_the_authentication_config_per_idp_type(
    rendered: Rendered, cluster: str, snapshot: SnapshotAssertion
) -> None:
    assert (rendered.out / "admin" / cluster / "authentication-config.yaml").read_text(encoding="utf-8") == snapshot


def test_the_admin_files_exist_for_self_managed_clusters_only(rendered: Rendered) -> None:
    admin = sorted(
        str(path.relative_to(rendered.out)) for path in (rendered.out / "admin").rglob("*") if path.is_file()
    )
    assert admin == sorted(
        f"admin/{cluster}/{name}"
        for cluster in ("onprem", *SINGLE_IDP_CLUSTERS)
        for name in ("README.md", "authentication-config.yaml")
    )
    for path in (rendered.out / "admin").rglob("*.*"):
        # Nothing secret in them: readable like any manifest, not executable.
        assert path.stat().st_mode & 0o777 == 0o644, path


# --- the admins' README --------------------------------------------------------------------------


def yaml_blocks(markdown: str) -> list[Any]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", markdown, flags=re.DOTALL)]


def test_the_admin_readme_says_how_to_enable_the_file(rendered: Rendered) -> None:
    readme = (rendered.out / "admin" / "onprem" / "README.md").read_text(encoding="utf-8")
    for fact in (
        "--authentication-config=<path>",
        "can't be combined with the `--oidc-*` flags",
        "/etc/rancher/rke2/config.yaml",
        "--kube-apiserver-arg=authentication-config=/etc/rancher/k3s/authentication-config.yaml",
        "without a restart",
        "`kubeadm-config` ConfigMap",
    ):
        assert fact in readme, fact
    kubeadm, k3s, rke2 = yaml_blocks(readme)
    assert (kubeadm["apiVersion"], kubeadm["kind"]) == ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration")
    (argument,) = kubeadm["apiServer"]["extraArgs"]
    (volume,) = kubeadm["apiServer"]["extraVolumes"]
    assert argument == {"name": "authentication-config", "value": "/etc/kubernetes/auth/authentication-config.yaml"}
    # The folder is mounted, so a replaced file is seen by the running API server.
    assert argument["value"].startswith(volume["mountPath"] + "/")
    assert volume["hostPath"] == volume["mountPath"] and volume["readOnly"] is True
    assert k3s == {"kube-apiserver-arg": ["authentication-config=/etc/rancher/k3s/authentication-config.yaml"]}
    (rke2_argument,) = rke2["kube-apiserver-arg"]
    (mount,) = rke2["kube-apiserver-extra-mount"]
    host, container, mode = mount.split(":")
    assert rke2_argument == f"authentication-config={container}/authentication-config.yaml"
    assert (host, mode) == (container, "ro")


def test_the_admin_readme_lists_each_idp_and_the_rbac_to_apply(rendered: Rendered) -> None:
    folder = rendered.out / "admin" / "onprem"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for stack in ("onprem-okta-main", "onprem-entra", "onprem-gws", "onprem-jc"):
        oidc = rendered.outputs[stack]["oidc_config"]
        assert f"| `{stack}` | `{oidc['issuer_url']}` | `{oidc['client_id']}` |" in readme
    applied = re.findall(r"`(\.\./\.\./[^`]+/rbac\.yaml)`", readme)
    assert applied == ["../../onprem-okta-main/rbac.yaml", "../../onprem-gws/rbac.yaml"]
    for path in applied:
        assert (folder / path).is_file(), path
    assert "`entra`: no `access:` rule of the config applies" in readme
    assert "none (no groups claim)" in readme  # Google Workspace's row


def test_the_top_readme_sends_cluster_admins_to_the_admin_files(rendered: Rendered) -> None:
    readme = (rendered.out / "README.md").read_text(encoding="utf-8")
    assert "| `admin/<cluster>/authentication-config.yaml` | cluster admins (self-managed) |" in readme
    assert "| `admin/<cluster>/README.md` | cluster admins (self-managed) |" in readme
    assert (
        "| `onprem` | install `admin/onprem/authentication-config.yaml` on the API server, as "
        "`admin/onprem/README.md` says |\n"
    ) in readme


# --- developers: contexts, scripts and kubeconfigs through real kubectl ----------------------------


def test_contexts_are_named_by_cluster_with_one_idp_else_by_stack(rendered: Rendered) -> None:
    contexts = {
        stack: yaml.safe_load((rendered.out / stack / "kubeconfig.yaml").read_text())["current-context"]
        for stack in rendered.outputs
    }
    assert contexts == {
        "onprem-okta-main": "onprem-okta-main",
        "onprem-entra": "onprem-entra",
        "onprem-gws": "onprem-gws",
        "onprem-jc": "onprem-jc",
        "k-okta-okta-main": "k-okta",
        "k-entra-entra": "k-entra",
        "k-gws-gws": "k-gws",
        "k-jc-jc": "k-jc",
        "k-sso-sso": "k-sso",
        # An EKS cluster with several IdPs, like GKE: one context per stack.
        "multi-okta-main": "multi-okta-main",
        "multi-jc": "multi-jc",
    }


@pytest.mark.parametrize(("stack", "context"), [("onprem-jc", "onprem-jc"), ("k-jc-jc", "k-jc")])
def test_the_developer_script_reaches_the_self_managed_cluster(
    rendered: Rendered, api: ApiServer, pki: Pki, tools: Tools, tmp_path: Path, stack: str, context: str
) -> None:
    cluster_key = stack.removesuffix("-jc")
    api.tokens[f"/{cluster_key}"] = {token_for(f"client-{stack}")}
    tools.add_kubelogin()
    home = tmp_path / "home"
    home.mkdir()
    env = tools.env(home, tmp_path / "kubeconfig")
    result = run_script(rendered.out / stack / "setup-k8s-oidc.sh", env=env)
    assert result.returncode == 0, result.stderr
    version = kubectl("--context", context, "version", "-o", "json", env=env)
    assert version.returncode == 0, version.stderr
    view = kubeconfig_view(env)
    assert view["current-context"] == context
    # Server and CA come from the stack's `cluster` output.
    assert named(view["clusters"], context)["cluster"] == {
        "server": f"{api.url}/{cluster_key}",
        "certificate-authority-data": pki.ca_data,
    }
    args = tools.record_of("kubelogin")[-1]
    assert f"--oidc-client-id=client-{stack}" in args
    assert "--oidc-issuer-url=https://oauth.id.jumpcloud.com/" in args
    help_text = run_script(rendered.out / stack / "setup-k8s-oidc.sh", "--help", env=env).stdout
    assert f"self-managed Kubernetes cluster {cluster_key} at {api.url}/{cluster_key}" in help_text


def test_the_standalone_kubeconfig_reaches_the_self_managed_cluster(
    rendered: Rendered, api: ApiServer, tools: Tools, tmp_path: Path
) -> None:
    api.tokens["/onprem"] = {token_for("client-onprem-gws")}
    tools.add_kubelogin()
    env = tools.env(tmp_path, rendered.out / "onprem-gws" / "kubeconfig.yaml")
    result = kubectl("version", "-o", "json", env=env)
    assert result.returncode == 0, result.stderr
    args = tools.record_of("kubelogin")[-1]
    assert f"--oidc-client-secret={SECRET}" in args


# --- bad outputs ---------------------------------------------------------------------------------


def refused(tmp_path: Path, config: str, outputs: dict[str, Any]) -> str:
    (tmp_path / "oidc.yaml").write_text(config, encoding="utf-8")
    write_json(tmp_path / "outputs.json", outputs)
    out = tmp_path / "out"
    out.mkdir()
    before = tree_snapshot(tmp_path)
    result = run_render(tmp_path / "oidc.yaml", tmp_path / "outputs.json", out)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(tmp_path) == before
    return result.stderr


def test_two_idps_of_one_tenant_on_one_cluster_are_refused(tmp_path: Path, pki: Pki) -> None:
    """Two Entra IdPs (known only after deploy) with one tenant: one issuer kube-apiserver won't take twice."""
    config = config_text(
        pki,
        **{
            "[okta-main, entra, gws, jc]": "[entra, entra2]",
            "  jc: ": "  entra2: {type: entra_id, security_groups: [k8s-admins]}\n  jc: ",
            "clusters: [onprem]": "clusters: [k-gws]",
        },
    )
    outputs = all_outputs("https://10.0.0.1", pki)
    for idp in ("okta-main", "gws", "jc"):
        del outputs[f"onprem-{idp}"]
    outputs["onprem-entra2"] = copy.deepcopy(outputs["onprem-entra"])
    stderr = refused(tmp_path, config, outputs)
    assert (
        f"onprem-entra2.oidc_config.issuer_url: the same issuer 'https://login.microsoftonline.com/{TENANT}/v2.0' "
        "as stack onprem-entra: kube-apiserver requires unique issuer URLs, so cluster 'onprem' can trust only one "
        "of them; drop one IdP from clusters.onprem.identity_providers"
    ) in stderr


@pytest.mark.parametrize(
    ("issuer", "problem"),
    [
        ("https://acme.okta.com/oauth2/aus1?x=1", "must hold no query ('?…') or fragment ('#…')"),
        (
            "https://user@acme.okta.com/oauth2/aus1",
            "must hold no user name or password before the host ('…@'): clients would connect to 'acme.okta.com', "
            "the part after the '@'",
        ),
    ],
)
def test_an_issuer_kube_apiserver_refuses_is_bad_input(tmp_path: Path, pki: Pki, issuer: str, problem: str) -> None:
    # Every issuer of the outputs is a plain https URL (constructs_lib.https_urls), so none reaches the file.
    outputs = all_outputs("https://10.0.0.1", pki)
    outputs["k-okta-okta-main"]["oidc_config"]["issuer_url"] = issuer
    stderr = refused(tmp_path, config_text(pki), outputs)
    assert (
        f"error: {tmp_path / 'outputs.json'}: k-okta-okta-main.oidc_config.issuer_url: must be an https:// URL with a "
        "host, no whitespace and only valid %-escapes, and no user name, query or fragment: "
        f"{shorten(issuer)!r} {problem}"
    ) in stderr


def test_region_or_location_is_null_for_self_managed_clusters_only(tmp_path: Path, pki: Pki) -> None:
    outputs = all_outputs("https://10.0.0.1", pki)
    outputs["multi-jc"]["cluster"]["region_or_location"] = None
    stderr = refused(tmp_path, config_text(pki), outputs)
    assert (
        "multi-jc.cluster.region_or_location: must be the cluster's region or location: null only for type `kubernetes`"
    ) in stderr
    assert "onprem" not in stderr


def test_outputs_of_a_self_managed_cluster_keep_the_contract_checks(tmp_path: Path, pki: Pki) -> None:
    outputs = all_outputs("https://10.0.0.1", pki)
    outputs["k-jc-jc"]["cluster"]["certificate_authority_data"] = base64.b64encode(b"not a certificate").decode()
    outputs["k-jc-jc"]["cluster"]["type"] = "eks"
    stderr = refused(tmp_path, config_text(pki), outputs)
    assert "k-jc-jc.cluster.certificate_authority_data: must be base64 of a PEM certificate" in stderr
    assert "k-jc-jc.cluster.type: is 'eks', but clusters.k-jc in the config is 'kubernetes'" in stderr


def test_a_partial_authentication_config_is_warned_about(tmp_path: Path, pki: Pki, server: ApiServer) -> None:
    """Rendered from some of a cluster's pairs (--stacks), the file would drop the others' authenticators."""
    (tmp_path / "oidc.yaml").write_text(config_text(pki), encoding="utf-8")
    outputs = write_json(tmp_path / "outputs.json", all_outputs(server.url, pki))
    partial = run_render(tmp_path / "oidc.yaml", outputs, tmp_path / "out", "--stacks", "onprem-jc")
    assert partial.returncode == 0, partial.stderr
    warning = (
        "onprem: admin/onprem/authentication-config.yaml configures jc only, of the cluster's IdPs okta-main, "
        "entra, gws, jc: applying it removes the others from its kube-apiserver's JWT authenticators; once they "
        "are deployed, render them all (--stacks 'onprem-*') before applying it"
    )
    assert warning in partial.stderr
    assert warning in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    whole = run_render(tmp_path / "oidc.yaml", outputs, tmp_path / "out", "--stacks", "onprem-*")
    assert whole.returncode == 0, whole.stderr
    assert "removes the others" not in whole.stderr

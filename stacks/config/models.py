"""The pydantic models of `oidc.yaml`'s sections: backend, defaults, identity providers, clusters,
access rules and the Google workforce pool. Unknown keys are errors (`StrictModel`)."""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from constructs_lib.certificates import (
    MAX_CERTIFICATE_DATA,
    CertificateError,
    Certificates,
    certificates_from_base64,
    extract_certificates,
)
from constructs_lib.cluster.gke_cluster_props import ReleaseChannel
from constructs_lib.cluster.network_checks import check_public_access_cidrs
from constructs_lib.cluster.self_managed import ENDPOINT_EXAMPLE, SelfManagedCluster
from constructs_lib.https_urls import https_url_problem
from constructs_lib.idp.okta_props import DEFAULT_GROUP_FILTER_REGEX
from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS, GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE
from constructs_lib.props_error import PropsError, raise_problems
from stacks.config.cluster_kinds import ClusterKind
from stacks.config.value_types import Matching, Name, Text, unique
from stacks.errors import Problem


class StrictModel(BaseModel):
    """Unknown keys are errors; YAML values are taken as written (no `1.30` → `1.3` coercion)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True)


# --- backend -------------------------------------------------------------------------------------


class LocalBackend(StrictModel):
    """State files `terraform.<stack>.tfstate` in the project root (never inside `cdktf.out/`)."""

    type: Literal["local"] = "local"


PROJECT_NAME_PATTERN = r"^[A-Za-z0-9_-]([A-Za-z0-9 _-]{0,38}[A-Za-z0-9_-])?$"
"""A Terraform Cloud project name: letters, digits, `-`, `_` and inner spaces, at most 40 characters."""


DEFAULT_CLOUD_HOSTNAME = "app.terraform.io"
"""Terraform Cloud's host, where `backend.hostname` is not given (the tfe provider's own default)."""


class CloudBackend(StrictModel):
    """Terraform Cloud / HCP Terraform: one workspace per stack, named `<workspace_prefix><stack>`."""

    type: Literal["cloud"]
    organization: Annotated[
        str,
        Matching(
            r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
            "a Terraform Cloud organization name (letters, digits, '_' and '-', at most 40 characters)",
            "acme",
        ),
    ]
    """The organization that holds the workspaces."""
    workspace_prefix: Annotated[
        str,
        Matching(
            r"^[A-Za-z0-9_-]{0,28}$", "a workspace name prefix (letters, digits, '_' and '-', at most 28)", "k8s-oidc-"
        ),
    ] = "k8s-oidc-"
    """Workspace per stack = `<workspace_prefix><stack name>`."""
    hostname: (
        Annotated[
            str,
            Matching(
                r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$",
                "a host name, optionally with a port (Terraform Enterprise)",
                "app.terraform.io",
            ),
        ]
        | None
    ) = None
    """Default: app.terraform.io (the provider's own default)."""
    project: (
        Annotated[
            str,
            Matching(
                PROJECT_NAME_PATTERN,
                "a Terraform Cloud project name (letters, digits, '-', '_' and inner spaces, at most 40 characters)",
                "Kubernetes OIDC",
            ),
        ]
        | None
    ) = None
    """Name of an existing Terraform Cloud project the `terraform-cloud` stack creates the workspaces in;
    default: the organization's default project."""
    variable_sets: Annotated[list[Text], Field(max_length=50), AfterValidator(unique)] = Field(default_factory=list)
    """Names of existing variable sets (e.g. holding provider credentials) the `terraform-cloud` stack
    attaches to every workspace; default: none."""


Backend = Annotated[LocalBackend | CloudBackend, Field(discriminator="type")]


# --- defaults ------------------------------------------------------------------------------------

Port = Annotated[int, Field(ge=1024, le=65535)]


class Defaults(StrictModel):
    redirect_ports: Annotated[list[Port], Field(min_length=1, max_length=8), AfterValidator(unique)] = list(
        DEFAULT_REDIRECT_PORTS
    )
    """kubelogin's listen ports; every IdP app registers `http://localhost:<port>` for each."""


# --- identity providers --------------------------------------------------------------------------


class IdentityProviderBase(StrictModel):
    """Fields every identity provider type takes; unset means the type's default (the IdP defaults table).
    The rules on these values live in the IdP construct's props (`constructs_lib/idp/*_props.py`)."""

    prefix: Text | None = None
    """Username and groups prefix Kubernetes puts before every subject; default `<name>:`."""
    issuer_url: Text | None = None
    """Default: the type's issuer (Okta: the created authorization server's; Entra ID: the tenant's). Must
    equal the `issuer` of the IdP's discovery document character for character."""
    user_claim: Text | None = None
    """Default: `email` (Entra ID: `preferred_username`)."""
    groups_claim: Text | None = None
    """Default: `groups` (Google Workspace: none, its ID tokens carry no groups)."""
    scopes: Annotated[list[Text], Field(min_length=1, max_length=32), AfterValidator(unique)] | None = None
    """Default: the type's scopes (see the IdP defaults table); must include `openid`."""
    refresh_tokens: bool = False
    """Opt in to refresh tokens (`offline_access`; Okta: the refresh grant, rotating); default false:
    engineers sign in again in the browser when the ID token expires. Google Workspace refuses it."""
    device_code: bool = False
    """Opt in to headless sign-in (device authorization grant, RFC 8628): Okta's app and policy rule also
    allow it, and the render step adds a `<context>-device` context signing in with kubelogin's
    `--grant-type=device-code`. Default false. Okta only: Entra ID, Google Workspace and JumpCloud refuse it."""
    client_secret: Any = Field(default=None, json_schema_extra={"not": {}})
    """Never accepted: declared only to explain where the secret goes instead."""

    @field_validator("client_secret", mode="before")
    @classmethod
    def _refuse_secret(cls, value: Any) -> None:
        if value is not None:
            raise ValueError(
                "secrets never go in the config: k8s-oidc makes clients without a secret where the IdP "
                "allows it; a Google Workspace secret is the sensitive Terraform variable "
                f"`{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}` of its stacks (e.g. "
                f"TF_VAR_{GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE}, or a sensitive Terraform Cloud workspace "
                "variable); a JumpCloud workforce client's is `<idp>_workforce_client_secret` of the "
                "workforce-pool stack"
            )
        return None


class OktaIdp(IdentityProviderBase):
    type: Literal["okta"]
    app_label: Text | None = None
    """Label of the Okta app; default `k8s-oidc <stack>` per pair stack."""
    authorization_server_id: Text | None = None
    """Reuse this custom authorization server (needs `issuer_url`, its Issuer URI ending in
    `/oauth2/<id>`); default: create one per pair stack."""
    group_filter_regex: Annotated[str, Field(min_length=1, max_length=1024)] = DEFAULT_GROUP_FILTER_REGEX
    """Only groups whose name matches go into the created server's groups claim; default `.*` (all)."""


class EntraIdIdp(IdentityProviderBase):
    type: Literal["entra_id"]
    security_groups: Annotated[list[Text], Field(max_length=200), AfterValidator(unique)] = []
    """Display names of the groups assigned to the app; only their members can sign in. Default: none."""


class GoogleWorkspaceIdp(IdentityProviderBase):
    type: Literal["google_workspace"]
    client_id: Text
    """The Desktop-app OAuth client id made in the console (`….apps.googleusercontent.com`)."""


class JumpCloudIdp(IdentityProviderBase):
    type: Literal["jumpcloud"]
    client_id: Text
    """Client id of the Custom OIDC app made in the JumpCloud console."""
    workforce_client_id: Text | None = None
    """Client id of a second, confidential (web) OIDC app for the Google workforce pool; required
    when a `workforce_identity` cluster uses this IdP. Its secret is a sensitive Terraform variable."""


IdentityProviderConfig = Annotated[
    OktaIdp | EntraIdIdp | GoogleWorkspaceIdp | JumpCloudIdp, Field(discriminator="type")
]


# --- clusters ------------------------------------------------------------------------------------
# The rules on these values live in the cluster constructs' props (`constructs_lib/cluster/*_props.py`).


class EksCreate(StrictModel):
    """Create the EKS cluster in its own stack `<cluster>-cluster` (secure defaults, no nodes)."""

    kubernetes_version: Text
    """A minor version such as "1.33" (quoted: YAML reads 1.30 as the number 1.3)."""
    vpc_cidr: Text = "10.0.0.0/16"
    """The VPC's range, /16 to /24; split into one private subnet per zone."""
    availability_zones: Annotated[list[Text], Field(max_length=6)]
    """One private subnet per zone; EKS needs at least two, all in `region`."""
    public_access_cidrs: Annotated[list[Text], Field(max_length=40)]
    """Who may reach the public API endpoint (private access is always on); no `/0`."""


class GkeCreate(StrictModel):
    """Create a private GKE Standard cluster in its own stack `<cluster>-cluster`."""

    subnet_cidr: Text = "10.10.0.0/20"
    """The nodes' subnet."""
    pods_cidr: Text = "10.20.0.0/16"
    """Secondary range for pods."""
    services_cidr: Text = "10.30.0.0/20"
    """Secondary range for services."""
    master_cidr: Text = "172.16.0.0/28"
    """The control plane's private range: a /28. No range may overlap another."""
    public_access_cidrs: Annotated[list[Text], Field(max_length=50)]
    """Master authorized networks: who may reach the public endpoint; no `/0`."""
    # Not strict: YAML gives the enum value as text.
    release_channel: Annotated[ReleaseChannel, Field(strict=False)] = ReleaseChannel.REGULAR
    """How soon the cluster gets new Kubernetes versions (always auto-upgraded)."""
    machine_type: Text = "e2-standard-2"
    """Node machine type."""
    node_count: Annotated[int, Field(le=100)] = 1
    """Nodes per zone of the managed pool (the identity service runs on them)."""


class ClusterBase(StrictModel):
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]
    """The identity providers this cluster trusts (names under `identity_providers`)."""

    @model_validator(mode="after")
    def _existing_xor_created(self) -> ClusterBase:
        has_name = getattr(self, "cluster_name", None) is not None
        has_create = getattr(self, "create", None) is not None
        if has_name == has_create:
            raise ValueError("give exactly one of `cluster_name` (an existing cluster) or `create` (make a new one)")
        return self

    @property
    def created(self) -> bool:
        return getattr(self, "create", None) is not None


EKS_MAX_IDENTITY_PROVIDERS = 10
"""EKS trusts up to this many OIDC identity providers per cluster, from Kubernetes 1.32 on."""
EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR = 32
"""Below Kubernetes 1.<this>, EKS trusts one OIDC identity provider per cluster."""


class EksClusterConfig(ClusterBase):
    type: Literal["eks"]
    region: Text
    """The AWS region, e.g. `us-west-2`."""
    cluster_name: Text | None = None
    """An existing cluster, referenced by name."""
    create: EksCreate | None = None
    """Create the cluster instead (mutually exclusive with `cluster_name`)."""

    @field_validator("identity_providers")
    @classmethod
    def _at_most_ten(cls, names: list[str]) -> list[str]:
        if len(names) > EKS_MAX_IDENTITY_PROVIDERS:
            raise ValueError(
                f"EKS trusts at most {EKS_MAX_IDENTITY_PROVIDERS} OIDC identity providers per cluster (on "
                f"Kubernetes 1.{EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR} and later), got {len(names)} "
                f"({', '.join(names)}); keep {EKS_MAX_IDENTITY_PROVIDERS} here"
            )
        return names

    @model_validator(mode="after")
    def _one_identity_provider_before_1_32(self) -> EksClusterConfig:
        # An existing cluster's version is unknown at synth time: AWS itself refuses a second IdP there.
        if self.create is None or len(self.identity_providers) == 1:
            return self
        version = self.create.kubernetes_version
        minor = re.fullmatch(r"1\.([0-9]+)", version)
        if minor is None or int(minor.group(1)) >= EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR:
            return self  # a malformed version is the props' to report
        names = self.identity_providers
        raise PropsError(
            "identity_providers",
            f"EKS trusts one OIDC identity provider per cluster below Kubernetes "
            f"1.{EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR}, and this cluster is created with kubernetes_version "
            f"{version!r}, got {len(names)} ({', '.join(names)}); keep one IdP here, or set "
            f'`create.kubernetes_version` to "1.{EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR}" or later, where EKS '
            f"trusts up to {EKS_MAX_IDENTITY_PROVIDERS}",
        )

    @property
    def region_or_location(self) -> str:
        return self.region

    @property
    def kind(self) -> ClusterKind:
        return ClusterKind.EKS


class GkeAuth(enum.StrEnum):
    """How engineers authenticate to a GKE cluster."""

    IDENTITY_SERVICE = "identity_service"
    """Identity Service for GKE: the cluster trusts the IdP's issuer; kubectl uses kubelogin."""
    WORKFORCE_IDENTITY = "workforce_identity"
    """Workforce Identity Federation: Google trusts the IdP; kubectl uses gcloud's auth plugin."""


class GkeClusterConfig(ClusterBase):
    type: Literal["gke"]
    # Not strict: YAML gives the enum value as text.
    auth: Annotated[GkeAuth, Field(strict=False)] = GkeAuth.IDENTITY_SERVICE
    """`identity_service` (the cluster trusts the IdP; kubelogin) or `workforce_identity` (gcloud)."""
    project: Text
    """The Google Cloud project id, e.g. `acme-data`."""
    location: Text
    """A region (regional cluster) such as `us-west1`, or a zone such as `us-west1-a`."""
    cluster_name: Text | None = None
    """An existing cluster, referenced by name."""
    create: GkeCreate | None = None
    """Create the cluster instead (mutually exclusive with `cluster_name`)."""
    public_access_cidrs: Annotated[list[Text], Field(max_length=50)] | None = None
    """Existing cluster: who may reach the Identity Service endpoint (the `gke-oidc-envoy` load
    balancer). Default: every address, and the admin script asks before exposing it. A created
    cluster's come from `create.public_access_cidrs`."""

    @model_validator(mode="after")
    def _endpoint_ranges_of_an_existing_identity_service_cluster(self) -> GkeClusterConfig:
        if self.public_access_cidrs is None:
            return self
        if self.create is not None:
            raise PropsError(
                "public_access_cidrs",
                "`public_access_cidrs` of a created cluster go under `create` (they are its master authorized "
                "networks and its Identity Service endpoint's source ranges at once); remove the one beside `create`",
            )
        if self.auth is GkeAuth.WORKFORCE_IDENTITY:
            raise PropsError(
                "public_access_cidrs",
                "`public_access_cidrs` limits the Identity Service endpoint, which a `workforce_identity` cluster "
                "does not use (engineers reach it through gcloud); remove it",
            )
        check_public_access_cidrs(tuple(self.public_access_cidrs))  # a created cluster's rule, from its home
        return self

    @property
    def identity_service_source_ranges(self) -> list[str] | None:
        """Who may reach `gke-oidc-envoy`: the created cluster's `public_access_cidrs`, else the existing
        cluster's; None when neither says (every address)."""
        return self.create.public_access_cidrs if self.create is not None else self.public_access_cidrs

    @property
    def region_or_location(self) -> str:
        return self.location

    @property
    def kind(self) -> ClusterKind:
        if self.auth is GkeAuth.WORKFORCE_IDENTITY:
            return ClusterKind.GKE_WORKFORCE
        return ClusterKind.GKE_IDENTITY_SERVICE


MAX_JWT_AUTHENTICATORS = 64
"""kube-apiserver takes at most this many `jwt` authenticators in its AuthenticationConfiguration."""


class KubernetesClusterConfig(StrictModel):
    """A cluster whose kube-apiserver you run (kubeadm, k3s, RKE2, Talos, …): no cloud resources; the
    render step writes the `AuthenticationConfiguration` its admins install."""

    type: Literal["kubernetes"]
    endpoint: str
    """`https://host[:port]` of the kube-apiserver, as engineers' kubectl reaches it."""
    certificate_authority_data: str | None = None
    """Base64 of the PEM CA certificate(s) of the API server, as kubeconfig's certificate-authority-data."""
    certificate_authority_file: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = None
    """A PEM file of the CA certificate(s), relative to the config file's folder; read when the config loads."""
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]
    """The identity providers this cluster trusts, 1 to 64 (one JWT authenticator each)."""
    _certificates: Certificates = PrivateAttr()
    _certificate_source: str = PrivateAttr()

    @field_validator("identity_providers")
    @classmethod
    def _at_most_64(cls, names: list[str]) -> list[str]:
        if len(names) > MAX_JWT_AUTHENTICATORS:
            raise ValueError(
                f"kube-apiserver takes at most {MAX_JWT_AUTHENTICATORS} JWT authenticators, one per identity "
                f"provider, got {len(names)}"
            )
        return names

    @model_validator(mode="after")
    def _endpoint_and_certificate_authority(self, info: ValidationInfo) -> KubernetesClusterConfig:
        # The endpoint's and the CA's problems together: one does not hide the other.
        config_dir = Path((info.context or {}).get("config_dir", "."))
        raise_problems(self._check_endpoint, lambda: self._read_certificate_authority(config_dir))
        return self

    def _check_endpoint(self) -> None:
        problem = https_url_problem(self.endpoint)
        if problem is not None:
            raise PropsError("endpoint", f"{self.endpoint!r} {problem}; e.g. {ENDPOINT_EXAMPLE}")

    def _read_certificate_authority(self, config_dir: Path) -> None:
        data, file = self.certificate_authority_data, self.certificate_authority_file
        if file is not None and data is None:
            self._certificate_source = _file_shown(config_dir, file)
            pem = _read_certificate_authority_file(config_dir, file, self._certificate_source)
            try:
                self._certificates = extract_certificates(pem)
            except CertificateError as error:
                raise PropsError(
                    "certificate_authority_file",
                    f"{self._certificate_source} {error}; give the API server's PEM CA certificate",
                ) from None
        elif data is not None and file is None:
            self._certificate_source = "the decoded PEM"
            try:
                self._certificates = certificates_from_base64(data)
            except CertificateError as error:
                raise PropsError(
                    "certificate_authority_data", f"{error}; or give the PEM file as `certificate_authority_file`"
                ) from None
        else:
            raise PropsError(
                "",
                "give exactly one of `certificate_authority_data` (base64 of the API server's PEM CA "
                "certificate) or `certificate_authority_file` (the PEM file, relative to this config file), "
                "e.g. certificate_authority_file: pki/ca.crt",
            )

    @property
    def created(self) -> bool:
        return False

    @property
    def region_or_location(self) -> None:
        return None

    @property
    def kind(self) -> ClusterKind:
        return ClusterKind.SELF_MANAGED

    @property
    def certificate_authority(self) -> str:
        """Base64 PEM of the CA certificates from `certificate_authority_data` or the file (read at load
        time): only the CERTIFICATE blocks, each re-encoded from its parsed DER."""
        return self._certificates.base64

    @property
    def certificate_authority_warning(self) -> Problem | None:
        """What of the CA file or data was left out, at its key (relative to the entry); None when it held
        certificates only. Never its content: a key or secret pasted beside the certificate stays out of
        every message too."""
        dropped = self._certificates.dropped
        if not dropped:
            return None
        key = (
            "certificate_authority_file"
            if self.certificate_authority_file is not None
            else "certificate_authority_data"
        )
        return Problem(
            key,
            f"{self._certificate_source} holds more than certificates ({'; '.join(dropped)}): only its CERTIFICATE "
            "blocks are used, each re-encoded, and nothing else of it is embedded anywhere; remove the rest (a key "
            "or secret kept beside a CA certificate is readable by everyone who can read it)",
        )

    def cluster(self, name: str) -> SelfManagedCluster:
        """The cluster object of the pair stacks' `cluster` output; `name` is the cluster's config key."""
        return SelfManagedCluster(
            cluster_name=name, endpoint=self.endpoint, certificate_authority_data=self.certificate_authority
        )


def _file_shown(config_dir: Path, file: str) -> str:
    """`file` for a message: as written, and where it resolved to when relative."""
    return f"{file!r} ({(config_dir / file).resolve()})" if not Path(file).is_absolute() else repr(file)


def _read_certificate_authority_file(config_dir: Path, file: str, shown: str) -> bytes:
    """The bytes of the PEM file `file` (relative to `config_dir`), bounded; errors at the file's key."""
    path = config_dir / file
    # Base64 makes 4 characters of every 3 bytes: read no more than fits the limit, plus one byte to tell.
    limit = MAX_CERTIFICATE_DATA // 4 * 3
    try:
        # A FIFO or device would block the read or never end: only a regular file is read.
        if path.exists() and not path.is_file():
            raise PropsError("certificate_authority_file", f"cannot read {shown}: not a regular file")
        with path.open("rb") as handle:
            pem = handle.read(limit + 1)
    except FileNotFoundError:
        raise PropsError(
            "certificate_authority_file", f"cannot read {shown}: no such file (the path is relative to the config file)"
        ) from None
    except OSError as error:
        raise PropsError("certificate_authority_file", f"cannot read {shown}: {error.strerror or error}") from None
    if len(pem) > limit:
        raise PropsError(
            "certificate_authority_file",
            f"{shown} is larger than {limit // 1024} KiB: give the API server's CA certificate(s) only",
        )
    return pem


ClusterConfig = Annotated[EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig, Field(discriminator="type")]


# --- access --------------------------------------------------------------------------------------

Subject = Text
"""A group or user as the IdP names it: any printable text, spaces included (Entra group display names)."""


class AccessRule(StrictModel):
    """One RBAC binding, rendered into `rbac.yaml` of the matching pair stacks."""

    identity_provider: Name
    """The identity provider whose users or groups this rule binds."""
    group: Subject | None = None
    """A group name as the IdP puts it in the groups claim (bound with the IdP's prefix)."""
    user: Subject | None = None
    """A user as the IdP names them in the user claim, e.g. jane@example.com (bound with the prefix)."""
    cluster_role: Annotated[
        str,
        Matching(
            r"^[a-z0-9]([a-z0-9:._-]{0,251}[a-z0-9])?$",
            "a ClusterRole name (lowercase letters, digits, ':', '.', '_' and '-')",
            "cluster-admin",
        ),
    ]
    """The ClusterRole to bind, e.g. `cluster-admin`, `edit` or `view`."""
    clusters: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)] | None = None
    """The clusters the rule applies to; default: every cluster that uses this identity provider."""
    namespace: (
        Annotated[
            str,
            Matching(
                r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                "a namespace name (lowercase letters, digits and '-', at most 63 characters)",
                "team-a",
            ),
        ]
        | None
    ) = None
    """Default: a ClusterRoleBinding; set: a RoleBinding in this namespace."""

    @model_validator(mode="after")
    def _group_xor_user(self) -> AccessRule:
        if (self.group is None) == (self.user is None):
            raise ValueError("give exactly one of `group` or `user`")
        return self


# --- Google workforce pool -----------------------------------------------------------------------


class WorkforcePool(StrictModel):
    """The Google Cloud workforce identity pool that `workforce_identity` GKE clusters trust. The rules on
    these values live in `constructs_lib/workforce/pool_props.py`."""

    # A YAML number is taken too (see below), so the schema admits both.
    organization_id: Annotated[Text, Field(json_schema_extra={"type": ["string", "integer"]})]
    """Numeric id of the Google Cloud organization, e.g. "123456789012"."""
    pool_id: Text
    """6–63 characters of a-z, 0-9 and '-', not starting with `gcp-`."""
    session_duration: Text | None = None
    """How long sign-ins last, e.g. `3600s`; more than 900s and less than 43200s. Default: Google's (1 hour)."""

    @field_validator("organization_id", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# --- the whole file ------------------------------------------------------------------------------


class ConfigFile(StrictModel):
    """Top-level keys; the entries of the three sections are validated one by one afterwards."""

    version: Literal[1]
    """The config format version: 1."""
    backend: Backend = LocalBackend()
    """Where Terraform keeps state; default `{type: local}`."""
    defaults: Defaults = Defaults()
    """Settings every identity provider shares."""
    identity_providers: Annotated[dict[str, Any], Field(min_length=1)]
    """Identity providers by name."""
    clusters: Annotated[dict[str, Any], Field(min_length=1)]
    """Clusters by name."""
    access: list[Any] = []
    """RBAC bindings, rendered into `rbac.yaml` by the render step; default none."""
    google_workforce_pool: WorkforcePool | None = None
    """The workforce pool `workforce_identity` GKE clusters trust; default: none."""

"""The pydantic models of `oidc.yaml`'s sections: backend, defaults, identity providers, clusters,
access rules and the Google workforce pool. Unknown keys are errors (`StrictModel`)."""

from __future__ import annotations

import base64
import enum
import ipaddress
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

from constructs_lib.cluster.self_managed import (
    MAX_CERTIFICATE_DATA,
    SelfManagedCluster,
    certificate_data_problem,
    certificate_pem_problem,
    endpoint_problem,
)
from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS, GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE
from stacks.config.messages import error_at
from stacks.config.value_types import (
    Cidr,
    HttpsUrl,
    Name,
    NonEmpty,
    PublicAccessCidr,
    Token,
    unique,
)


class StrictModel(BaseModel):
    """Unknown keys are errors; YAML values are taken as written (no `1.30` → `1.3` coercion)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- backend -------------------------------------------------------------------------------------


class LocalBackend(StrictModel):
    """State files `terraform.<stack>.tfstate` in the project root (never inside `cdktf.out/`)."""

    type: Literal["local"] = "local"


class CloudBackend(StrictModel):
    """Terraform Cloud / HCP Terraform: one workspace per stack, named `<workspace_prefix><stack>`."""

    type: Literal["cloud"]
    organization: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    workspace_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{0,28}$")] = "k8s-oidc-"
    hostname: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$")] | None = None
    """Default: app.terraform.io (the provider's own default)."""


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
    """Fields every identity provider type takes; `None` means the type's default (IDP_DEFAULTS)."""

    prefix: Token | None = None
    """Username and groups prefix; default `<name>:`."""
    issuer_url: HttpsUrl | None = None
    user_claim: Token | None = None
    groups_claim: Token | None = None
    scopes: Annotated[list[Token], Field(min_length=1, max_length=32), AfterValidator(unique)] | None = None
    client_secret: Any = None
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

    @field_validator("scopes")
    @classmethod
    def _openid_scope(cls, scopes: list[str] | None) -> list[str] | None:
        if scopes is not None and "openid" not in scopes:
            raise ValueError("must include `openid` (without it the IdP issues no ID token)")
        return scopes

    @field_validator("prefix")
    @classmethod
    def _not_a_system_prefix(cls, prefix: str | None) -> str | None:
        if prefix is not None and prefix.startswith("system:"):
            raise ValueError(
                f"{prefix!r} must not start with `system:` (reserved for Kubernetes' own users and groups: an IdP "
                "group `masters` would become `system:masters`); use the IdP's name, e.g. `okta:`"
            )
        return prefix


class OktaIdp(IdentityProviderBase):
    type: Literal["okta"]
    app_label: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    """Default: `k8s-oidc <cluster>` per pair stack."""
    authorization_server_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,64}$")] | None = None
    """Reuse this custom authorization server; default: create one per pair stack."""
    group_filter_regex: Annotated[str, StringConstraints(min_length=1, max_length=1024)] = ".*"

    @field_validator("group_filter_regex")
    @classmethod
    def _regex_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"is not a regular expression: {error}") from None
        return value

    @model_validator(mode="after")
    def _reused_server_needs_issuer(self) -> OktaIdp:
        if self.authorization_server_id is None:
            return self
        if self.issuer_url is None:
            raise ValueError(
                "`authorization_server_id` needs `issuer_url`: copy the server's Issuer URI from the Okta "
                f"console (it ends in /oauth2/{self.authorization_server_id}); Okta's data source finds "
                "servers by name only"
            )
        if not self.issuer_url.endswith(f"/oauth2/{self.authorization_server_id}"):
            raise ValueError(
                f"`issuer_url` {self.issuer_url!r} must end in /oauth2/{self.authorization_server_id} "
                "(the issuer of the reused authorization server)"
            )
        if "group_filter_regex" in self.model_fields_set:
            raise ValueError(
                "`group_filter_regex` applies only to an authorization server k8s-oidc creates; the reused server "
                f"{self.authorization_server_id} filters groups with its own groups claim (edit it in the Okta "
                "console), so remove `group_filter_regex` or `authorization_server_id`"
            )
        return self

    @model_validator(mode="after")
    def _created_server_settings(self) -> OktaIdp:
        # The Okta construct refuses these too; here they are reported with their key path.
        if self.authorization_server_id is not None:
            return self
        if self.issuer_url is not None:
            raise ValueError(
                "`issuer_url` needs `authorization_server_id`: the issuer of the authorization server k8s-oidc "
                "creates is only known after apply; set `authorization_server_id` to reuse the server with that "
                "issuer, or remove `issuer_url`"
            )
        if self.scopes is not None and "groups" not in self.scopes:
            raise ValueError(
                "`scopes` must include `groups`: the created authorization server releases the groups claim only "
                "for that scope"
            )
        return self


class EntraIdIdp(IdentityProviderBase):
    type: Literal["entra_id"]
    security_groups: Annotated[list[NonEmpty], Field(max_length=200), AfterValidator(unique)] = []
    """Display names of the groups assigned to the app; only their members can sign in."""


def _google_client_id(value: str) -> str:
    if not value.endswith(".apps.googleusercontent.com"):
        raise ValueError(
            "must be the OAuth client id of the Desktop-app client, ending in .apps.googleusercontent.com, "
            f"got {value!r}"
        )
    return value


class GoogleWorkspaceIdp(IdentityProviderBase):
    type: Literal["google_workspace"]
    client_id: Annotated[Token, AfterValidator(_google_client_id)]


class JumpCloudIdp(IdentityProviderBase):
    type: Literal["jumpcloud"]
    client_id: Token
    workforce_client_id: Token | None = None
    """Client id of a second, confidential (web) OIDC app for the Google workforce pool; required
    when a `workforce_identity` cluster uses this IdP. Its secret is a sensitive Terraform variable."""


IdentityProviderConfig = Annotated[
    OktaIdp | EntraIdIdp | GoogleWorkspaceIdp | JumpCloudIdp, Field(discriminator="type")
]


# --- clusters ------------------------------------------------------------------------------------


class EksCreate(StrictModel):
    """Create the EKS cluster in its own stack `<cluster>-cluster` (secure defaults, no nodes)."""

    kubernetes_version: Annotated[str, StringConstraints(pattern=r"^1\.[0-9]{2}$")]
    vpc_cidr: Cidr = "10.0.0.0/16"
    availability_zones: Annotated[list[Token], Field(min_length=2, max_length=6), AfterValidator(unique)]
    """One private subnet per zone; EKS needs at least two."""
    public_access_cidrs: Annotated[list[PublicAccessCidr], Field(min_length=1, max_length=40)]
    """Who may reach the public API endpoint (private access is always on)."""

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc_size(cls, value: str) -> str:
        if not 16 <= ipaddress.IPv4Network(value).prefixlen <= 24:
            raise ValueError(f"must be a /16 to /24 network (AWS VPC limits), got {value}")
        return value


class GkeCreate(StrictModel):
    """Create a private GKE Standard cluster in its own stack `<cluster>-cluster`."""

    subnet_cidr: Cidr = "10.10.0.0/20"
    pods_cidr: Cidr = "10.20.0.0/16"
    services_cidr: Cidr = "10.30.0.0/20"
    master_cidr: Cidr = "172.16.0.0/28"
    """The control plane's private range: must be a /28."""
    public_access_cidrs: Annotated[list[PublicAccessCidr], Field(min_length=1, max_length=50)]
    """Master authorized networks: who may reach the public endpoint."""
    release_channel: Literal["RAPID", "REGULAR", "STABLE"] = "REGULAR"
    machine_type: Token = "e2-standard-2"
    node_count: Annotated[int, Field(ge=1, le=100)] = 1
    """Nodes per zone of the managed pool (the identity service runs on them)."""

    @field_validator("master_cidr")
    @classmethod
    def _master_size(cls, value: str) -> str:
        if ipaddress.IPv4Network(value).prefixlen != 28:
            raise ValueError(f"must be a /28 (GKE requirement), got {value}")
        return value


class ClusterBase(StrictModel):
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]

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
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")]
    cluster_name: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")] | None = None
    create: EksCreate | None = None

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
    def _zones_in_region(self) -> EksClusterConfig:
        if self.create is not None:
            outside = [z for z in self.create.availability_zones if not z.startswith(self.region)]
            if outside:
                raise ValueError(f"availability zones {', '.join(outside)} are not in region {self.region}")
        return self

    @model_validator(mode="after")
    def _one_identity_provider_before_1_32(self) -> EksClusterConfig:
        # An existing cluster's version is unknown at synth time: AWS itself refuses a second IdP there.
        if self.create is None or len(self.identity_providers) == 1:
            return self
        version = self.create.kubernetes_version
        if int(version.split(".")[1]) >= EKS_MULTIPLE_IDENTITY_PROVIDERS_MINOR:
            return self
        names = self.identity_providers
        raise error_at(
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
    project: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    location: Annotated[str, StringConstraints(pattern=r"^[a-z]+-[a-z]+[0-9](-[a-z])?$")]
    """A region (regional cluster) or a zone."""
    cluster_name: Annotated[str, StringConstraints(pattern=r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$")] | None = None
    create: GkeCreate | None = None

    @property
    def region_or_location(self) -> str:
        return self.location


MAX_JWT_AUTHENTICATORS = 64
"""kube-apiserver takes at most this many `jwt` authenticators in its AuthenticationConfiguration."""


def _endpoint(value: str) -> str:
    problem = endpoint_problem(value)
    if problem is not None:
        raise ValueError(f"{value!r} {problem}; e.g. https://k8s.example.com:6443")
    return value


def _certificate_data(value: str) -> str:
    problem = certificate_data_problem(value)
    if problem is not None:
        raise ValueError(f"{problem}; or give the PEM file as `certificate_authority_file`")
    return value


class KubernetesClusterConfig(StrictModel):
    """A cluster whose kube-apiserver you run (kubeadm, k3s, RKE2, Talos, …): no cloud resources; the
    render step writes the `AuthenticationConfiguration` its admins install."""

    type: Literal["kubernetes"]
    endpoint: Annotated[str, AfterValidator(_endpoint)]
    """`https://host[:port]` of the kube-apiserver, as engineers' kubectl reaches it."""
    certificate_authority_data: Annotated[str, AfterValidator(_certificate_data)] | None = None
    """Base64 of the PEM CA certificate(s) of the API server, as kubeconfig's certificate-authority-data."""
    certificate_authority_file: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = None
    """A PEM file of the CA certificate(s), relative to the config file's folder; read when the config loads."""
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]
    _certificate_authority: str = PrivateAttr()

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
    def _one_certificate_authority(self, info: ValidationInfo) -> KubernetesClusterConfig:
        data, file = self.certificate_authority_data, self.certificate_authority_file
        if (data is None) == (file is None):
            raise ValueError(
                "give exactly one of `certificate_authority_data` (base64 of the API server's PEM CA "
                "certificate) or `certificate_authority_file` (the PEM file, relative to this config file), "
                "e.g. certificate_authority_file: pki/ca.crt"
            )
        if file is not None:
            config_dir = Path((info.context or {}).get("config_dir", "."))
            data = _read_certificate_authority_file(config_dir, file)
        assert data is not None  # one of the two is set
        self._certificate_authority = data
        return self

    @property
    def created(self) -> bool:
        return False

    @property
    def region_or_location(self) -> None:
        return None

    @property
    def certificate_authority(self) -> str:
        """Base64 PEM of the CA, from `certificate_authority_data` or the file (read at load time)."""
        return self._certificate_authority

    def cluster(self, name: str) -> SelfManagedCluster:
        """The cluster object of the pair stacks' `cluster` output; `name` is the cluster's config key."""
        return SelfManagedCluster(
            cluster_name=name, endpoint=self.endpoint, certificate_authority_data=self.certificate_authority
        )


def _read_certificate_authority_file(config_dir: Path, file: str) -> str:
    """Base64 of the PEM file `file` (relative to `config_dir`), checked; errors at the file's key."""
    path = config_dir / file
    shown = f"{file!r} ({path.resolve()})" if not Path(file).is_absolute() else repr(file)
    # Base64 makes 4 characters of every 3 bytes: read no more than fits the limit, plus one byte to tell.
    limit = MAX_CERTIFICATE_DATA // 4 * 3
    try:
        # A FIFO or device would block the read or never end: only a regular file is read.
        if path.exists() and not path.is_file():
            raise error_at("certificate_authority_file", f"cannot read {shown}: not a regular file")
        with path.open("rb") as handle:
            pem = handle.read(limit + 1)
    except FileNotFoundError:
        raise error_at(
            "certificate_authority_file", f"cannot read {shown}: no such file (the path is relative to the config file)"
        ) from None
    except OSError as error:
        raise error_at("certificate_authority_file", f"cannot read {shown}: {error.strerror or error}") from None
    if len(pem) > limit:
        raise error_at(
            "certificate_authority_file",
            f"{shown} is larger than {limit // 1024} KiB: give the API server's CA certificate(s) only",
        )
    problem = certificate_pem_problem(pem)
    if problem is not None:
        raise error_at("certificate_authority_file", f"{shown} {problem}; give the API server's PEM CA certificate")
    return base64.b64encode(pem).decode("ascii")


ClusterConfig = Annotated[EksClusterConfig | GkeClusterConfig | KubernetesClusterConfig, Field(discriminator="type")]


# --- access --------------------------------------------------------------------------------------

Subject = Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f]{1,256}$")]


class AccessRule(StrictModel):
    """One RBAC binding, rendered into `rbac.yaml` of the matching pair stacks."""

    identity_provider: Name
    group: Subject | None = None
    user: Subject | None = None
    cluster_role: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9:._-]{0,251}[a-z0-9])?$")]
    clusters: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)] | None = None
    """Default: every cluster that uses this identity provider."""
    namespace: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")] | None = None
    """Default: a ClusterRoleBinding; set: a RoleBinding in this namespace."""

    @model_validator(mode="after")
    def _group_xor_user(self) -> AccessRule:
        if (self.group is None) == (self.user is None):
            raise ValueError("give exactly one of `group` or `user`")
        return self


# --- Google workforce pool -----------------------------------------------------------------------


class WorkforcePool(StrictModel):
    """The Google Cloud workforce identity pool that `workforce_identity` GKE clusters trust."""

    organization_id: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{5,24}$")]
    """Numeric id of the Google Cloud organization (quote it: "123456789012")."""
    pool_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{6,63}$")]
    """6–63 characters of a-z, 0-9 and '-', not starting with `gcp-`."""
    session_duration: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,6}s$")] | None = None
    """How long sign-ins last, e.g. `3600s`; more than 900s and less than 43200s. Default: Google's (1 hour)."""

    @field_validator("organization_id", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("pool_id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value.startswith("gcp-"):
            raise ValueError(f"must not start with 'gcp-' (reserved by Google), got {value!r}")
        return value

    @field_validator("session_duration")
    @classmethod
    def _session_bounds(cls, value: str | None) -> str | None:
        if value is not None and not 900 < int(value.removesuffix("s")) < 43200:
            raise ValueError(f"must be more than 900s and less than 43200s, got {value}")
        return value


# --- the whole file ------------------------------------------------------------------------------


class ConfigFile(StrictModel):
    """Top-level keys; the entries of the three sections are validated one by one afterwards."""

    version: Literal[1]
    backend: Backend = LocalBackend()
    defaults: Defaults = Defaults()
    identity_providers: Annotated[dict[str, Any], Field(min_length=1)]
    clusters: Annotated[dict[str, Any], Field(min_length=1)]
    access: list[Any] = []
    google_workforce_pool: WorkforcePool | None = None

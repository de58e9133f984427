"""The pydantic models of `oidc.yaml`'s sections: backend, defaults, identity providers, clusters,
access rules and the Google workforce pool. Unknown keys are errors (`StrictModel`)."""

from __future__ import annotations

import enum
import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from constructs_lib.oidc import DEFAULT_REDIRECT_PORTS, GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE
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
    refresh_tokens: bool = False
    """Opt in to refresh tokens (`offline_access`); default: none, engineers sign in again when the ID
    token expires. The IdP construct's props hold the rules (Google Workspace refuses it)."""
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


class EksClusterConfig(ClusterBase):
    type: Literal["eks"]
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")]
    cluster_name: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")] | None = None
    create: EksCreate | None = None

    @field_validator("identity_providers")
    @classmethod
    def _exactly_one(cls, names: list[str]) -> list[str]:
        if len(names) != 1:
            raise ValueError(
                f"EKS takes exactly one OIDC identity provider per cluster, got {len(names)} "
                f"({', '.join(names)}); declare one IdP here"
            )
        return names

    @model_validator(mode="after")
    def _zones_in_region(self) -> EksClusterConfig:
        if self.create is not None:
            outside = [z for z in self.create.availability_zones if not z.startswith(self.region)]
            if outside:
                raise ValueError(f"availability zones {', '.join(outside)} are not in region {self.region}")
        return self

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
    public_access_cidrs: Annotated[list[PublicAccessCidr], Field(min_length=1, max_length=50)] | None = None
    """Existing cluster: who may reach the Identity Service endpoint (the `gke-oidc-envoy` load
    balancer). Default: every address, and the admin script asks before exposing it. A created
    cluster's come from `create.public_access_cidrs`."""

    @model_validator(mode="after")
    def _endpoint_ranges_of_an_existing_identity_service_cluster(self) -> GkeClusterConfig:
        if self.public_access_cidrs is None:
            return self
        if self.create is not None:
            raise ValueError(
                "`public_access_cidrs` of a created cluster go under `create` (they are its master authorized "
                "networks and its Identity Service endpoint's source ranges at once); remove the one beside `create`"
            )
        if self.auth is GkeAuth.WORKFORCE_IDENTITY:
            raise ValueError(
                "`public_access_cidrs` limits the Identity Service endpoint, which a `workforce_identity` cluster "
                "does not use (engineers reach it through gcloud); remove it"
            )
        return self

    @property
    def identity_service_source_ranges(self) -> list[str] | None:
        """Who may reach `gke-oidc-envoy`: the created cluster's `public_access_cidrs`, else the existing
        cluster's; None when neither says (every address)."""
        return self.create.public_access_cidrs if self.create is not None else self.public_access_cidrs

    @property
    def region_or_location(self) -> str:
        return self.location


ClusterConfig = Annotated[EksClusterConfig | GkeClusterConfig, Field(discriminator="type")]


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

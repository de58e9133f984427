"""The `oidc.yaml` model (DESIGN.md contract 3): parsing and validation, no cdktf.

`load_config(path)` returns a `Config` or raises `UserError` listing every problem with its key path.
Each entry (identity provider, cluster, access rule) is validated on its own, then the references
between them, so one run reports as much as it can.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from constructs_lib.oidc import (
    DEFAULT_REDIRECT_PORTS,
    GOOGLE_WORKSPACE_CLIENT_SECRET_VARIABLE,
    IDP_DEFAULTS,
    IdentityProviderType,
    redirect_uris,
)
from stacks.errors import Problem, UserError

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,29}$"
MAX_VALUES = 1_000_000
"""Far above any real config (1,000 stacks hold ~10,000 values), far below what hangs validation."""

Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=256)]
Token = Annotated[str, StringConstraints(pattern=r"^[^\s]{1,256}$")]
"""A value that must not contain whitespace (claims, scopes, prefixes, ids)."""


def _https_url(value: str) -> str:
    if not re.fullmatch(r"https://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError(f"must be an https:// URL without spaces, query or fragment, got {value!r}")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]


def _cidr(value: str) -> str:
    try:
        return str(ipaddress.IPv4Network(value, strict=True))
    except ValueError as error:
        raise ValueError(f"must be an IPv4 CIDR such as 10.0.0.0/16, got {value!r} ({error})") from None


Cidr = Annotated[str, AfterValidator(_cidr)]


def _public_access_cidr(value: str) -> str:
    if ipaddress.IPv4Network(value).prefixlen == 0:
        raise ValueError(
            f"{value} opens the Kubernetes API to the whole internet; list the networks your "
            "engineers and CI connect from (e.g. the office or VPN egress range)"
        )
    return value


PublicAccessCidr = Annotated[Cidr, AfterValidator(_public_access_cidr)]


def _unique(values: list[Any]) -> list[Any]:
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"must not repeat values, repeated: {', '.join(duplicates)}")
    return values


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
    redirect_ports: Annotated[list[Port], Field(min_length=1, max_length=8), AfterValidator(_unique)] = list(
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
    scopes: Annotated[list[Token], Field(min_length=1, max_length=32), AfterValidator(_unique)] | None = None
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
    security_groups: Annotated[list[NonEmpty], Field(max_length=200), AfterValidator(_unique)] = []
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


IdentityProvider = Annotated[OktaIdp | EntraIdIdp | GoogleWorkspaceIdp | JumpCloudIdp, Field(discriminator="type")]


# --- clusters ------------------------------------------------------------------------------------


class EksCreate(StrictModel):
    """Create the EKS cluster in its own stack `<cluster>-cluster` (secure defaults, no nodes)."""

    kubernetes_version: Annotated[str, StringConstraints(pattern=r"^1\.[0-9]{2}$")]
    vpc_cidr: Cidr = "10.0.0.0/16"
    availability_zones: Annotated[list[Token], Field(min_length=2, max_length=6), AfterValidator(_unique)]
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
    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(_unique)]

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


class EksCluster(ClusterBase):
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
    def _zones_in_region(self) -> EksCluster:
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


class GkeCluster(ClusterBase):
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


Cluster = Annotated[EksCluster | GkeCluster, Field(discriminator="type")]


# --- access --------------------------------------------------------------------------------------

Subject = Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f]{1,256}$")]


class AccessRule(StrictModel):
    """One RBAC binding, rendered into `rbac.yaml` of the matching pair stacks."""

    identity_provider: Name
    group: Subject | None = None
    user: Subject | None = None
    cluster_role: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9:._-]{0,251}[a-z0-9])?$")]
    clusters: Annotated[list[Name], Field(min_length=1), AfterValidator(_unique)] | None = None
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


def local_state_file(stack_name: str) -> str:
    """State file of a stack under the local backend, relative to the project root."""
    return f"terraform.{stack_name}.tfstate"


class StackKind(enum.StrEnum):
    PAIR = "pair"
    CLUSTER = "cluster"


WORKFORCE_POOL_STACK = "workforce-pool"
"""The stack of the Google workforce pool, its providers and the IdPs' web clients."""
WORKFORCE_CALLBACK = (
    "https://auth.cloud.google/signin-callback/locations/global/workforcePools/{pool}/providers/{provider}"
)


@dataclass(frozen=True)
class StackSpec:
    """One Terraform stack the config makes."""

    name: str
    kind: StackKind
    cluster: str
    identity_provider: str | None = None


@dataclass(frozen=True)
class Config:
    """A validated `oidc.yaml`."""

    source: Path
    backend: LocalBackend | CloudBackend
    defaults: Defaults
    identity_providers: dict[str, OktaIdp | EntraIdIdp | GoogleWorkspaceIdp | JumpCloudIdp]
    clusters: dict[str, EksCluster | GkeCluster]
    access: list[AccessRule]
    workforce_pool: WorkforcePool | None = None
    warnings: list[Problem] = field(default_factory=list)

    def prefix(self, idp_name: str) -> str:
        return self.identity_providers[idp_name].prefix or f"{idp_name}:"

    def user_claim(self, idp_name: str) -> str:
        idp = self.identity_providers[idp_name]
        return idp.user_claim or IDP_DEFAULTS[IdentityProviderType(idp.type)].user_claim

    def groups_claim(self, idp_name: str) -> str | None:
        idp = self.identity_providers[idp_name]
        return idp.groups_claim or IDP_DEFAULTS[IdentityProviderType(idp.type)].groups_claim

    def scopes(self, idp_name: str) -> tuple[str, ...]:
        idp = self.identity_providers[idp_name]
        return tuple(idp.scopes) if idp.scopes else IDP_DEFAULTS[IdentityProviderType(idp.type)].scopes

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        return redirect_uris(tuple(self.defaults.redirect_ports))

    def stacks(self) -> list[StackSpec]:
        """Every stack, cluster stacks before the pair stacks that reference them, in config order."""
        specs: list[StackSpec] = []
        for cluster_name, cluster in self.clusters.items():
            if cluster.created:
                specs.append(StackSpec(f"{cluster_name}-cluster", StackKind.CLUSTER, cluster_name))
            specs += [
                StackSpec(f"{cluster_name}-{idp}", StackKind.PAIR, cluster_name, idp)
                for idp in cluster.identity_providers
            ]
        return specs

    def is_workforce_cluster(self, cluster_name: str) -> bool:
        cluster = self.clusters[cluster_name]
        return isinstance(cluster, GkeCluster) and cluster.auth is GkeAuth.WORKFORCE_IDENTITY

    @property
    def workforce_identity_providers(self) -> list[str]:
        """IdPs used by `workforce_identity` clusters, in config order: one pool provider each."""
        used = {
            idp for name, c in self.clusters.items() if self.is_workforce_cluster(name) for idp in c.identity_providers
        }
        return [name for name in self.identity_providers if name in used]

    def stack_names(self) -> list[str]:
        """Every stack `synth` makes, in build order."""
        pool = [self.workforce_pool_stack] if self.workforce_pool_stack else []
        return pool + [spec.name for spec in self.stacks()]

    @property
    def workforce_pool_stack(self) -> str | None:
        """`workforce-pool` when any cluster uses workforce identity, else None."""
        return WORKFORCE_POOL_STACK if self.workforce_identity_providers else None

    def access_rules_for(self, cluster_name: str, idp_name: str) -> list[AccessRule]:
        return [
            rule
            for rule in self.access
            if rule.identity_provider == idp_name and (rule.clusters is None or cluster_name in rule.clusters)
        ]


def load_config(path: Path) -> Config:
    """Read and validate `path`; raise `UserError` naming every problem."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(source, [Problem("", "no such file (pass --config PATH or set K8S_OIDC_CONFIG)")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(source, [Problem("", f"cannot read the file: {error}")]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    source = str(path)
    raw = _load_yaml(text, source)
    if _expands_beyond(raw, MAX_VALUES):
        raise UserError(
            source,
            [Problem("", f"the document expands to more than {MAX_VALUES:,} values (YAML aliases repeating aliases?)")],
        )
    if not isinstance(raw, dict):
        raise UserError(source, [Problem("", f"must be a YAML mapping with `version: 1`, got {_kind(raw)}")])

    problems: list[Problem] = []
    top = _validate(ConfigFile, raw, (), problems)
    if top is None:
        # Without valid top-level sections there is nothing reliable to check entry by entry.
        raise UserError(source, problems)

    idps = _validate_entries(top.identity_providers, "identity_providers", IdentityProvider, problems)
    clusters = _validate_entries(top.clusters, "clusters", Cluster, problems)
    access = [
        rule
        for index, item in enumerate(top.access)
        if (rule := _validate(AccessRule, item, ("access", index), problems)) is not None
    ]
    warnings: list[Problem] = []
    _check_references(top, idps, clusters, access, problems, warnings)
    _check_workforce(top, idps, clusters, problems, warnings)
    if problems:
        raise UserError(source, problems)
    config = Config(path, top.backend, top.defaults, idps, clusters, access, top.google_workforce_pool, warnings)
    _check_stack_names(config, problems)
    if problems:
        raise UserError(source, problems)
    return config


# --- helpers -------------------------------------------------------------------------------------


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it: ~10× faster than the pure-Python one on large configs."""


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe loader that refuses duplicate keys (plain PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1}, column {mark.column + 1})", mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "malformed YAML"
        raise UserError(source, [Problem("", f"{where}malformed YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise UserError(source, [Problem("", f"malformed YAML: {error}")]) from None


def _expands_beyond(document: Any, limit: int) -> bool:
    """Counts values as validation would visit them, stopping at `limit`: YAML aliases can make a
    small file expand to billions of values (a "billion laughs" document)."""
    pending, seen = [document], 0
    while pending:
        value = pending.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(value, dict):
            pending += value.values()
        elif isinstance(value, list):
            pending += value
    return False


def _validate_entries(entries: dict[str, Any], section: str, model: Any, problems: list[Problem]) -> dict[str, Any]:
    valid: dict[str, Any] = {}
    for name, entry in entries.items():
        if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
            problems.append(
                Problem(f"{section}.{name}", f"name must match {NAME_PATTERN} (lowercase, digits, '-'; ≤ 30 chars)")
            )
            continue
        value = _validate(model, entry, (section, name), problems)
        if value is not None:
            valid[name] = value
    return valid


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _validate(model: Any, data: Any, loc: tuple[str | int, ...], problems: list[Problem]) -> Any:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        problems += [_problem(loc, item) for item in error.errors(include_url=False)]
        return None


_UNION_TAGS = {"okta", "entra_id", "google_workspace", "jumpcloud", "eks", "gke", "local", "cloud"}


def _problem(prefix: tuple[str | int, ...], item: Any) -> Problem:
    # Discriminated unions put the tag (e.g. `okta`) into the location; users never wrote it.
    loc = [part for part in item["loc"] if part not in _UNION_TAGS and part != "[key]"]
    path = _path((*prefix, *loc))
    message = str(item["msg"]).removeprefix("Value error, ")
    kind = item["type"]
    if kind == "extra_forbidden":
        message = "unknown key (check the spelling against the README's config reference)"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "union_tag_invalid":
        expected = item.get("ctx", {}).get("expected_tags", "")
        message = f"unknown type {item['input'].get('type')!r}; expected one of {expected}"
    elif kind == "union_tag_not_found":
        message = "required key `type` is missing"
    elif kind in {"string_type", "int_type", "list_type", "dict_type", "model_type", "bool_type"}:
        message = f"{message}, got {_kind(item['input'])} {item['input']!r}"
    return Problem(path, message)


def _path(parts: tuple[str | int, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


def _check_references(
    top: ConfigFile,
    idps: dict[str, Any],
    clusters: dict[str, EksCluster | GkeCluster],
    access: list[AccessRule],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    declared_idps = set(top.identity_providers)
    declared_clusters = set(top.clusters)
    for name, cluster in clusters.items():
        for index, idp in enumerate(cluster.identity_providers):
            if idp not in declared_idps:
                problems.append(
                    Problem(
                        f"clusters.{name}.identity_providers[{index}]",
                        f"unknown identity provider {idp!r}; declared: {', '.join(sorted(declared_idps))}",
                    )
                )
    used = {idp for cluster in clusters.values() for idp in cluster.identity_providers}
    for name, idp in idps.items():
        if idp.prefix is None and name == "system":
            problems.append(
                Problem(
                    f"identity_providers.{name}.prefix",
                    "the default prefix `system:` is reserved for Kubernetes' own users and groups; set a prefix",
                )
            )
        if name not in used:
            warnings.append(Problem(f"identity_providers.{name}", "not used by any cluster: no stack is made for it"))
        if isinstance(idp, EntraIdIdp) and not idp.security_groups:
            warnings.append(
                Problem(
                    f"identity_providers.{name}.security_groups",
                    "empty: the app requires assignment, so nobody can sign in until groups are assigned",
                )
            )

    for index, rule in enumerate(access):
        where = f"access[{index}]"
        rule_idp = idps.get(rule.identity_provider)
        if rule.identity_provider not in declared_idps:
            problems.append(
                Problem(f"{where}.identity_provider", f"unknown identity provider {rule.identity_provider!r}")
            )
        elif rule_idp is not None and rule.group is not None:
            idp_type = IdentityProviderType(rule_idp.type)
            if (rule_idp.groups_claim or IDP_DEFAULTS[idp_type].groups_claim) is None:
                problems.append(
                    Problem(
                        f"{where}.group",
                        f"{rule.identity_provider} ({idp_type.value}) puts no groups claim in its ID tokens, "
                        "so a group can never match; name `user`s instead",
                    )
                )
        for position, cluster_name in enumerate(rule.clusters or []):
            rule_cluster = clusters.get(cluster_name)
            if cluster_name not in declared_clusters:
                problems.append(Problem(f"{where}.clusters[{position}]", f"unknown cluster {cluster_name!r}"))
            elif rule_cluster is not None and rule.identity_provider not in rule_cluster.identity_providers:
                problems.append(
                    Problem(
                        f"{where}.clusters[{position}]",
                        f"cluster {cluster_name!r} does not use identity provider {rule.identity_provider!r}",
                    )
                )


def _check_workforce(
    top: ConfigFile,
    idps: dict[str, Any],
    clusters: dict[str, EksCluster | GkeCluster],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    workforce = {
        name: cluster
        for name, cluster in clusters.items()
        if isinstance(cluster, GkeCluster) and cluster.auth is GkeAuth.WORKFORCE_IDENTITY
    }
    if top.google_workforce_pool is None:
        problems += [
            Problem(
                f"clusters.{name}.auth",
                "workforce_identity needs a top-level `google_workforce_pool` (organization_id, pool_id)",
            )
            for name in workforce
        ]
    elif not workforce:
        warnings.append(Problem("google_workforce_pool", "no cluster uses `auth: workforce_identity`: no pool is made"))
    for name, cluster in workforce.items():
        for index, idp_name in enumerate(cluster.identity_providers):
            idp = idps.get(idp_name)
            if isinstance(idp, GoogleWorkspaceIdp):
                problems.append(
                    Problem(
                        f"clusters.{name}.identity_providers[{index}]",
                        f"{idp_name} is Google Workspace: its users are Google identities already and do not "
                        "federate through a workforce pool; use `auth: identity_service` or Google's own IAM",
                    )
                )
            elif isinstance(idp, JumpCloudIdp) and idp.workforce_client_id is None:
                problems.append(
                    Problem(
                        f"identity_providers.{idp_name}.workforce_client_id",
                        f"required: workforce_identity cluster {name!r} uses {idp_name}; create a confidential "
                        "(web) Custom OIDC app in JumpCloud for the workforce pool and put its client id here",
                    )
                )
            elif idp_name.startswith("gcp-"):
                problems.append(
                    Problem(
                        f"clusters.{name}.identity_providers[{index}]",
                        f"{idp_name!r} names a workforce pool provider, and those must not start with 'gcp-'",
                    )
                )


def _check_stack_names(config: Config, problems: list[Problem]) -> None:
    owners: dict[str, str] = {}
    if config.workforce_pool_stack:
        owners[config.workforce_pool_stack] = "google_workforce_pool"
    for spec in config.stacks():
        owner = (
            f"clusters.{spec.cluster}.create"
            if spec.kind is StackKind.CLUSTER
            else f"clusters.{spec.cluster}.identity_providers ({spec.identity_provider})"
        )
        if spec.name in owners:
            problems.append(
                Problem(owner, f"stack name {spec.name!r} is also made by {owners[spec.name]}; rename a cluster or IdP")
            )
        else:
            owners[spec.name] = owner

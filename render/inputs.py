"""The render step's inputs, read and checked: stack outputs (DESIGN.md contract 4) and GKE ClientConfigs.

Every problem is collected with the stack and field it concerns, then raised as one `UserError`, so a
run reports everything wrong at once and writes nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stacks.config import Config, GkeClusterConfig, StackKind
from stacks.errors import Problem, UserError

OIDC_CONFIG = "oidc_config"
CLIENT_SECRET = "oidc_client_secret"  # noqa: S105 - an output name
CLUSTER = "cluster"
WORKFORCE = "workforce"
CONTRACT_OUTPUTS = (OIDC_CONFIG, CLIENT_SECRET, CLUSTER, WORKFORCE)

KUBELOGIN_DEFAULT_PORTS = (8000, 18000)
"""kubelogin's default listen ports: the exec args name ports only when the stack registered others."""

_REDIRECT_URI = re.compile(r"http://localhost:([1-9][0-9]{0,4})\Z")
# RFC 6749 scope-token without the comma: kubelogin reads --oidc-extra-scope as CSV, so a comma or a
# quote would silently change the scopes it requests.
_SCOPE = re.compile(r"[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+\Z")
# Whitespace and control characters, and a `%` that starts no escape (Go's URL parser refuses it).
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]|%(?![0-9A-Fa-f]{2})")
_PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----")


@dataclass(frozen=True, kw_only=True)
class OidcSettings:
    """How kubelogin gets a token for one pair stack, and how the cluster checks it."""

    client_id: str
    client_secret: str | None
    issuer_url: str
    user_claim: str
    groups_claim: str | None
    username_prefix: str
    groups_prefix: str
    scopes: tuple[str, ...]
    redirect_uris: tuple[str, ...]

    @property
    def redirect_ports(self) -> tuple[int, ...]:
        return tuple(int(match[1]) for uri in self.redirect_uris if (match := _REDIRECT_URI.match(uri)))


@dataclass(frozen=True, kw_only=True)
class ClusterAccess:
    """Where kubectl reaches a cluster: the `cluster` output, or a GKE ClientConfig's server and CA."""

    name: str
    type: str
    region_or_location: str | None
    """None for a self-managed (`kubernetes`) cluster."""
    server: str
    certificate_authority_data: str
    server_source: str
    """Where server and CA came from: "the cluster output" or the ClientConfig file."""


@dataclass(frozen=True, kw_only=True)
class WorkforceSettings:
    """A `workforce_identity` GKE cluster (DESIGN.md 4b): gcloud signs in through the pool's provider."""

    pool: str
    provider: str
    project: str
    location: str
    cluster_name: str


@dataclass(frozen=True, kw_only=True)
class PairOutputs:
    """One pair stack's outputs, checked: `oidc` for kubelogin pairs, `workforce` for workforce pairs."""

    stack: str
    cluster_key: str
    identity_provider: str
    oidc: OidcSettings | None
    workforce: WorkforceSettings | None
    cluster: ClusterAccess


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """Server and CA from a GKE ClientConfig: they replace the cluster output's."""

    server: str
    certificate_authority_data: str
    server_source: str


@dataclass(frozen=True)
class RenderInputs:
    pairs: list[PairOutputs]
    warnings: list[str]


def read_inputs(
    config: Config,
    outputs: Path | str,
    client_configs: Mapping[str, Path],
    *,
    raw_outputs: dict[str, Any] | None = None,
    stacks: Collection[str] | None = None,
) -> RenderInputs:
    """Read and check everything the render step needs; raise `UserError` listing every problem.
    `raw_outputs`: {stack: {output: value}} read elsewhere (Terraform Cloud); `outputs` then only names
    their source. `stacks`: the pair stacks to render (`--stacks`); default: every one of the config."""
    problems: list[Problem] = []
    endpoints = _read_client_configs(config, client_configs, problems)
    raw = raw_outputs if raw_outputs is not None else _read_outputs(Path(outputs), problems)
    pairs = _check_stacks(config, raw, problems, stacks) if raw is not None else []
    if problems:
        raise UserError(str(outputs), problems)
    warnings: list[str] = []
    resolved: list[PairOutputs] = []
    for pair in pairs:
        endpoint = endpoints.get(pair.cluster_key)
        if endpoint is not None:
            pair = replace(pair, cluster=replace(pair.cluster, **vars(endpoint)))
        resolved.append(pair)
    rendered_clusters = {pair.cluster_key for pair in resolved}
    for name, cluster in config.clusters.items():
        if (
            isinstance(cluster, GkeClusterConfig)
            and not config.is_workforce_cluster(name)
            and name not in endpoints
            and name in rendered_clusters
        ):
            warnings.append(
                f"{name}: GKE server taken from the cluster output: pass --client-config for Identity Service "
                f"clusters (--client-config {name}=FILE, FILE from "
                "`kubectl get clientconfig default -n kube-public -o json`)"
            )
    return RenderInputs(resolved, warnings)


# --- outputs files -------------------------------------------------------------------------------


def read_raw_outputs(path: Path) -> dict[str, dict[str, Any]]:
    """{stack: {output: value}} from either format of contract 5, unchecked beyond that shape (doctor
    reads it too); raise `UserError` naming every problem."""
    problems: list[Problem] = []
    raw = _read_outputs(path, problems)
    for stack, outputs in (raw or {}).items():
        if not isinstance(outputs, dict):
            problems.append(Problem(stack, f"must be an object of outputs, got {_kind(outputs)}"))
    if problems or raw is None:
        raise UserError(str(path), problems)
    return raw


def _read_outputs(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    """{stack: {output: value}} from the cdktf outputs file or a folder of `terraform output -json` files."""
    if path.is_dir():
        return _read_output_folder(path, problems)
    data = _read_json(path, "", problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(Problem("", f"must be a JSON object {{stack: {{output: value}}}}, got {_kind(data)}"))
        return None
    if set(data) & set(CONTRACT_OUTPUTS):
        problems.append(
            Problem(
                "",
                "looks like one stack's `terraform output -json`; put each stack's in a folder as <stack>.json "
                "and pass the folder to --outputs",
            )
        )
        return None
    return data


def _read_output_folder(folder: Path, problems: list[Problem]) -> dict[str, Any] | None:
    files = sorted(folder.glob("*.json"))
    if not files:
        problems.append(Problem("", "folder holds no <stack>.json files (from `terraform output -json`)"))
        return None
    stacks: dict[str, Any] = {}
    for file in files:
        stack = file.stem
        data = _read_json(file, stack, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(stack, f"{file.name} must be a JSON object {{output: {{value, …}}}}"))
            continue
        outputs: dict[str, Any] = {}
        for name in CONTRACT_OUTPUTS:
            if name not in data:
                continue
            entry = data[name]
            if isinstance(entry, dict) and "value" in entry:
                outputs[name] = entry["value"]
            else:
                problems.append(
                    Problem(f"{stack}.{name}", 'expected {"value": …} as `terraform output -json` prints it')
                )
        stacks[stack] = outputs
    return stacks


def _read_json(path: Path, where: str, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(where, f"{path}: no such file"))
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(where, f"{path}: cannot read: {error}"))
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(
            Problem(where, f"{path}: malformed JSON: line {error.lineno}, column {error.colno}: {error.msg}")
        )
        return None


# --- stacks --------------------------------------------------------------------------------------


def _check_stacks(
    config: Config, raw: dict[str, Any], problems: list[Problem], stacks: Collection[str] | None
) -> list[PairOutputs]:
    specs = {spec.name: spec for spec in config.stacks()}
    for stack in raw:
        if stack not in specs and stack != config.workforce_pool_stack:
            pair_names = ", ".join(name for name, spec in specs.items() if spec.kind is StackKind.PAIR)
            problems.append(
                Problem(stack, f"stack is not in the config {config.source} (its pair stacks: {pair_names})")
            )
    pairs: list[PairOutputs] = []
    for name, spec in specs.items():
        if spec.kind is not StackKind.PAIR:
            continue  # a created cluster's own stack: its outputs feed the pair stacks, not the render
        if stacks is not None and name not in stacks:
            continue  # not selected with --stacks: may not be deployed yet
        if name not in raw:
            problems.append(Problem(name, "no outputs for this pair stack of the config: deploy it first"))
            continue
        assert spec.identity_provider is not None  # pair stacks always name their IdP
        pair = _check_pair(config, name, spec.cluster, spec.identity_provider, raw[name], problems)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _check_pair(
    config: Config, stack: str, cluster_key: str, idp: str, outputs: Any, problems: list[Problem]
) -> PairOutputs | None:
    if not isinstance(outputs, dict):
        problems.append(Problem(stack, f"must be an object of outputs, got {_kind(outputs)}"))
        return None
    top = _Fields(outputs, stack, problems)
    cluster_fields = top.mapping(CLUSTER)
    cluster = _check_cluster(config, cluster_key, cluster_fields) if cluster_fields is not None else None
    oidc = workforce = None
    if config.is_workforce_cluster(cluster_key):
        workforce_fields = top.mapping(WORKFORCE)
        workforce = _check_workforce(workforce_fields) if workforce_fields is not None else None
    else:
        oidc_fields = top.mapping(OIDC_CONFIG)
        oidc = _check_oidc(top, oidc_fields) if oidc_fields is not None else None
    if cluster is None or (oidc is None and workforce is None):
        return None
    return PairOutputs(
        stack=stack, cluster_key=cluster_key, identity_provider=idp, oidc=oidc, workforce=workforce, cluster=cluster
    )


def _check_workforce(fields: _Fields) -> WorkforceSettings | None:
    values = {key: fields.text(key) for key in ("pool", "provider", "project", "location", "cluster_name")}
    if fields.failed:
        return None
    return WorkforceSettings(**{key: str(value) for key, value in values.items()})


def _check_oidc(top: _Fields, fields: _Fields) -> OidcSettings | None:
    client_id = fields.text("client_id")
    issuer_url = fields.https_url("issuer_url")
    user_claim = fields.text("user_claim")
    groups_claim = fields.text("groups_claim", nullable=True)
    username_prefix = fields.text("username_prefix", empty_ok=True)
    groups_prefix = fields.text("groups_prefix", empty_ok=True)
    scopes = fields.text_list("scopes", _SCOPE, "an OAuth scope without spaces, quotes, commas or backslashes")
    redirect_uris = fields.text_list("redirect_uris", _REDIRECT_URI, "http://localhost:<port> (kubelogin's redirect)")
    fields.constant("pkce_method", "S256")
    requires_secret = fields.boolean("requires_client_secret")
    secret = top.text(CLIENT_SECRET, hint=_SENSITIVE_OUTPUTS_HELP) if requires_secret else None
    if fields.failed or top.failed:
        return None
    assert client_id and issuer_url and user_claim and scopes and redirect_uris  # set when nothing failed
    assert username_prefix is not None and groups_prefix is not None
    return OidcSettings(
        client_id=client_id,
        client_secret=secret,
        issuer_url=issuer_url,
        user_claim=user_claim,
        groups_claim=groups_claim,
        username_prefix=username_prefix,
        groups_prefix=groups_prefix,
        scopes=tuple(scopes),
        redirect_uris=tuple(redirect_uris),
    )


_SENSITIVE_OUTPUTS_HELP = (
    "the stack's IdP needs a client secret (requires_client_secret is true); write the outputs with "
    "`cdktf deploy … --outputs-file-include-sensitive-outputs`, or use `terraform output -json`"
)


def _check_cluster(config: Config, cluster_key: str, fields: _Fields) -> ClusterAccess | None:
    expected_type = config.clusters[cluster_key].type
    name = fields.text("name")
    cluster_type = fields.text("type")
    # A self-managed cluster has no region: its stacks write null (contract 4).
    region_or_location = fields.text("region_or_location", nullable=expected_type == "kubernetes")
    endpoint = fields.https_url("endpoint")
    ca_data = fields.certificate_data("certificate_authority_data")
    if cluster_type is not None and cluster_type != expected_type:
        fields.problem("type", f"is {cluster_type!r}, but clusters.{cluster_key} in the config is {expected_type!r}")
    if fields.failed:
        return None
    assert name and cluster_type and endpoint and ca_data  # set when nothing failed
    return ClusterAccess(
        name=name,
        type=cluster_type,
        region_or_location=region_or_location,
        server=endpoint,
        certificate_authority_data=ca_data,
        server_source="the cluster output",
    )


# --- GKE ClientConfigs ---------------------------------------------------------------------------


def _read_client_configs(
    config: Config, client_configs: Mapping[str, Path], problems: list[Problem]
) -> dict[str, Endpoint]:
    endpoints: dict[str, Endpoint] = {}
    for cluster_key, path in client_configs.items():
        where = f"--client-config {cluster_key}={path}"
        cluster = config.clusters.get(cluster_key)
        if cluster is None:
            problems.append(Problem(where, f"unknown cluster; the config's clusters: {', '.join(config.clusters)}"))
            continue
        if not isinstance(cluster, GkeClusterConfig):
            problems.append(Problem(where, f"cluster {cluster_key!r} is {cluster.type}; ClientConfigs are GKE's"))
            continue
        if config.is_workforce_cluster(cluster_key):
            problems.append(
                Problem(
                    where,
                    f"cluster {cluster_key!r} uses workforce_identity: gcloud finds its server, not a ClientConfig",
                )
            )
            continue
        data = _read_json(path, where, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(where, f"must be a ClientConfig JSON object, got {_kind(data)}"))
            continue
        document = _Fields(data, where, problems)
        if data.get("kind", "ClientConfig") != "ClientConfig":
            document.problem("kind", f"expected ClientConfig, got {data['kind']!r}")
        spec = document.mapping("spec")
        if spec is None:
            continue
        server = spec.https_url("server")
        ca_data = spec.certificate_data("certificateAuthorityData")
        if server and ca_data and not document.failed and not spec.failed:
            endpoints[cluster_key] = Endpoint(
                server=server, certificate_authority_data=ca_data, server_source=str(path)
            )
    return endpoints


# --- field checks --------------------------------------------------------------------------------


class _Fields:
    """Typed reads from one JSON object; a bad or missing field is recorded as a `Problem` with its key
    path (e.g. `prod-okta.cluster.endpoint`) and read as None, so the caller checks `failed` once."""

    def __init__(self, data: Mapping[str, Any], path: str, problems: list[Problem]) -> None:
        self._data = data
        self._path = path
        self._problems = problems
        self.failed = False

    def problem(self, key: str, message: str) -> None:
        self.failed = True
        self._problems.append(Problem(f"{self._path}.{key}", message))

    def _get(self, key: str, hint: str = "") -> tuple[bool, Any]:
        if key not in self._data:
            self.problem(key, f"required field is missing{'; ' + hint if hint else ''}")
            return False, None
        return True, self._data[key]

    def mapping(self, key: str) -> _Fields | None:
        found, value = self._get(key)
        if not found:
            return None
        if not isinstance(value, dict):
            self.problem(key, f"expected an object, got {_kind(value)}")
            return None
        return _Fields(value, f"{self._path}.{key}", self._problems)

    def text(self, key: str, *, nullable: bool = False, empty_ok: bool = False, hint: str = "") -> str | None:
        found, value = self._get(key, hint)
        if not found or (value is None and nullable):
            return None
        return self._check_text(key, value, empty_ok=empty_ok)

    def _check_text(self, key: str, value: Any, *, empty_ok: bool = False) -> str | None:
        if not isinstance(value, str):
            self.problem(key, f"expected a string, got {_kind(value)}")
            return None
        if not value and not empty_ok:
            self.problem(key, "must not be empty")
            return None
        if "\x00" in value or not _encodable(value):
            self.problem(key, f"{value!r} holds a NUL or an unpaired surrogate, which no kubeconfig can carry")
            return None
        return value

    def https_url(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        if not _is_https_url(value):
            self.problem(
                key, f"must be an https:// URL with a host, no whitespace and only valid %-escapes, got {value!r}"
            )
            return None
        return value

    def text_list(self, key: str, pattern: re.Pattern[str], expected: str) -> list[str] | None:
        found, value = self._get(key)
        if not found:
            return None
        if not isinstance(value, list) or not value:
            self.problem(key, f"expected a non-empty list of strings, got {_kind(value)}")
            return None
        items: list[str] = []
        for index, item in enumerate(value):
            text = self._check_text(f"{key}[{index}]", item)
            if text is not None and not pattern.match(text):
                self.problem(f"{key}[{index}]", f"must be {expected}, got {text!r}")
            elif text is not None:
                items.append(text)
        return items if len(items) == len(value) else None

    def boolean(self, key: str) -> bool | None:
        found, value = self._get(key)
        if found and not isinstance(value, bool):
            self.problem(key, f"expected true or false, got {_kind(value)}")
            return None
        return value if found else None

    def constant(self, key: str, expected: str) -> None:
        found, value = self._get(key)
        if found and value != expected:
            self.problem(key, f"expected {expected!r}, got {value!r}")

    def certificate_data(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        if not _is_pem_certificate_base64(value):
            self.problem(
                key,
                "must be base64 of a PEM certificate (-----BEGIN CERTIFICATE-----…), as kubeconfig's "
                f"certificate-authority-data takes it; got {_shorten(value)!r}",
            )
            return None
        return value


def _is_https_url(value: str) -> bool:
    if _URL_FORBIDDEN.search(value) or not value.startswith("https://"):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return bool(parts.hostname)


def _is_pem_certificate_base64(value: str) -> bool:
    try:
        pem = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    blocks = _PEM_CERTIFICATE.findall(pem)
    if not blocks:
        return False
    for block in blocks:
        try:
            der = base64.b64decode("".join(block.split()), validate=True)
        except binascii.Error:
            return False
        if not der.startswith(b"\x30"):  # a certificate is a DER SEQUENCE
            return False
    return True


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({json.dumps(value)})"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({_shorten(value)!r})"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "an object" if value else "an empty object"
    return "null" if value is None else type(value).__name__

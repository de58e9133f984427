"""The stack outputs of DESIGN.md contract 4 — their names and the fields of their values — in one place.

The stacks write them and the render step reads them, both through this module (which imports no
cdktf, so the render step can use it where only outputs exist):

- a stack builds each value with the model's `value_of(...)`: a plain dict of the model's fields in
  the model's order (an optional field only when it applies), not validated, since at synth time many
  values are cdktf tokens (a client id the IdP application creates, the endpoint of a cluster made in
  the same apply);
- the render step validates what `terraform output` gives back with the same models (contract 5,
  "Outputs are checked again at render time"): outputs come from Terraform state, which anyone
  with access to a workspace can change, so besides each field's type and format every string is
  refused when it is longer than 4 KiB (certificate data: 64 KiB) or holds a control character (all
  of C0 — tab and newline too —, DEL, C1), a bidirectional override (U+202A–U+202E, U+2066–U+2069)
  or an unpaired surrogate; a username or groups prefix must not be able to make a `system:` subject
  (`kubernetes_subjects`), URLs must be plain https URLs (`https_urls`: no user name, query or fragment),
  and certificate data must hold CERTIFICATE blocks and nothing else (`certificates`).
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from constructs_lib.certificates import certificate_shape_problem
from constructs_lib.https_urls import https_url_problem
from constructs_lib.kubernetes_subjects import reserved_prefix_problem

OIDC_CONFIG = "oidc_config"
"""How kubelogin signs in and how the cluster checks its tokens (`OidcConfigOutput`); no secret."""
CLIENT_SECRET = "oidc_client_secret"  # noqa: S105 - an output name
"""Sensitive; only in stacks whose IdP needs a client secret (Google Workspace)."""
CLUSTER = "cluster"
"""Where and how kubectl reaches the cluster (`ClusterOutput`)."""
WORKFORCE = "workforce"
"""A `workforce_identity` GKE pair's pool, provider and cluster (`WorkforceOutput`), instead of `oidc_config`."""
OUTPUT_NAMES = (OIDC_CONFIG, CLIENT_SECRET, CLUSTER, WORKFORCE)

MAX_TEXT_BYTES = 4 * 1024
"""Longest string an output may hold, in UTF-8 bytes: every value ends up on a command line or in a
kubeconfig, and a huge one breaks sign-in ("argument list too long") after rendering fine."""
MAX_CERTIFICATE_BYTES = 64 * 1024
"""Longest `certificate_authority_data`: base64 of a PEM bundle, which may hold a chain of CAs."""


class PkceMethod(enum.StrEnum):
    """PKCE code-challenge methods; only S256 is offered (plain defeats the point)."""

    S256 = "S256"


class ClusterType(enum.StrEnum):
    """The `type` of the `cluster` output."""

    EKS = "eks"
    GKE = "gke"
    KUBERNETES = "kubernetes"
    """A self-managed cluster (kubeadm, k3s, …): it has no region or location."""
    AKS = "aks"
    """An existing AKS cluster trusting the IdP through a JWT authenticator; its location is the Azure one."""


# --- strings -------------------------------------------------------------------------------------

# C0 (tab and newline too), DEL, C1; the bidirectional embeddings, overrides and isolates; and
# surrogates, which in a decoded string are always unpaired (no UTF-8 file can carry them).
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_WHAT = (
    "control characters (C0 — tab and newline too —, DEL, C1), bidirectional overrides and unpaired "
    "surrogates would reach engineers' terminals, scripts and kubeconfigs as they are"
)


def shorten(value: str, limit: int = 40) -> str:
    """`value` cut to `limit` characters for a message (with its repr, which escapes what is unsafe)."""
    return value if len(value) <= limit else value[:limit] + "…"


def _excerpt(value: str, index: int, width: int = 20) -> str:
    """The part of `value` around `index`, for a message (with its repr, which escapes what is unsafe)."""
    start, end = max(0, index - width), index + width
    return ("…" if start else "") + value[start:end] + ("…" if end < len(value) else "")


def _describe(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if 0xD800 <= ord(character) <= 0xDFFF:
        return f"an unpaired surrogate {code}"
    name = unicodedata.name(character, "")
    return f"{code} {name}" if name else f"the control character {code}"


def _check_characters(value: str, limit: int) -> str:
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ValueError(
            f"is {size:,} bytes long ({shorten(value)!r}); an output value may have at most {limit // 1024} KiB: "
            'longer ones break sign-in ("argument list too long")'
        )
    unsafe = _UNSAFE_CHARACTER.search(value)
    if unsafe is not None:
        raise ValueError(
            f"holds {_describe(unsafe.group())} at index {unsafe.start()} "
            f"({_excerpt(value, unsafe.start())!r}); {_UNSAFE_WHAT}"
        )
    return value


def _safe_text(value: str) -> str:
    return _check_characters(value, MAX_TEXT_BYTES)


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _not_reserved(value: str) -> str:
    problem = reserved_prefix_problem(value)
    if problem is not None:
        raise ValueError(
            f"{shorten(value)!r} {problem}; the stacks never write such a prefix, so check who changed the "
            "stack's state"
        )
    return value


def _https_url(value: str) -> str:
    problem = https_url_problem(value)
    if problem is not None:
        raise ValueError(
            "must be an https:// URL with a host, no whitespace and only valid %-escapes, and no user name, query "
            f"or fragment: {shorten(value)!r} {problem}"
        )
    return value


# RFC 6749 scope-token without the comma: kubelogin reads --oidc-extra-scope as CSV, so a comma or a
# quote would silently change the scopes it requests.
_SCOPE = re.compile(r"[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+\Z")


def _scope(value: str) -> str:
    if not _SCOPE.match(value):
        raise ValueError(
            f"must be an OAuth scope without spaces, quotes, commas or backslashes, got {shorten(value)!r}"
        )
    return value


_REDIRECT_URI = re.compile(r"http://localhost:([1-9][0-9]{0,4})\Z")


def _redirect_uri(value: str) -> str:
    match = _REDIRECT_URI.match(value)
    if match is None or int(match[1]) > 65535:
        raise ValueError(f"must be http://localhost:<port> (kubelogin's redirect), got {shorten(value)!r}")
    return value


def _safe_certificate_text(value: str) -> str:
    return _check_characters(value, MAX_CERTIFICATE_BYTES)


def _pem_certificate_base64(value: str) -> str:
    try:
        pem = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        problem: str | None = "is not base64"
    else:
        shape = certificate_shape_problem(pem)
        problem = None if shape is None else f"decodes to text that {shape}"
    if problem is not None:
        raise ValueError(
            "must be base64 of a PEM certificate (-----BEGIN CERTIFICATE-----…), as kubeconfig's "
            f"certificate-authority-data takes it, and of nothing else: it {problem}; got {shorten(value)!r}"
        )
    return value


def _at_least_one(values: list[str]) -> list[str]:
    if not values:
        raise ValueError("expected a non-empty list, got an empty list")
    return values


OutputText = Annotated[str, AfterValidator(_safe_text)]
"""Any string of an output: at most 4 KiB, no control or bidirectional-override characters."""
Text = Annotated[OutputText, AfterValidator(_non_empty)]
"""A non-empty `OutputText`."""
Prefix = Annotated[OutputText, AfterValidator(_not_reserved)]
"""A username or groups prefix that can't make a `system:` subject (`kubernetes_subjects`): not empty, not
starting with `system:`, not a leading part of it."""
HttpsUrl = Annotated[Text, AfterValidator(_https_url)]
"""A plain https:// URL (`https_urls`) that kubectl, kubelogin and Go's URL parser take exactly as written."""
Scope = Annotated[Text, AfterValidator(_scope)]
RedirectUri = Annotated[Text, AfterValidator(_redirect_uri)]
CertificateData = Annotated[str, AfterValidator(_safe_certificate_text), AfterValidator(_pem_certificate_base64)]
"""Base64 of a PEM certificate (bundle), as kubeconfig's `certificate-authority-data` takes it; ≤ 64 KiB;
CERTIFICATE blocks only, each a DER SEQUENCE (`certificates.certificate_shape_problem`)."""


# --- the outputs ---------------------------------------------------------------------------------


class ContractModel(BaseModel):
    """Values taken as JSON gives them: no coercion (`42` is not a client id), extra keys ignored
    (they reach no file)."""

    model_config = ConfigDict(strict=True, frozen=True)


class OutputValue(ContractModel):
    """The value of one stack output."""

    @classmethod
    def required_fields(cls) -> tuple[str, ...]:
        """The fields every value of this output holds, in order (an optional one only where it applies)."""
        return tuple(name for name, field in cls.model_fields.items() if field.is_required())

    @classmethod
    def value_of(cls, **fields: object) -> dict[str, object]:
        """This output's value as a stack writes it: the model's fields, in the model's order — every
        required one, and an optional one (a field with a default) only when given, since the contract
        leaves such a field out where it doesn't apply (`oidc_config.certificate_authority_data`).

        Not validated: at synth time values may be cdktf tokens, which only Terraform resolves; the
        render step validates what comes back. A missing or unknown field is a programming error."""
        names = tuple(cls.model_fields)
        missing = [name for name in cls.required_fields() if name not in fields]
        unknown = sorted(set(fields) - set(names))
        if missing or unknown:
            raise TypeError(f"{cls.__name__}.value_of: missing fields {missing}, unknown fields {unknown}")
        return {name: fields[name] for name in names if name in fields}


class OidcConfigOutput(OutputValue):
    """The `oidc_config` output: how kubelogin gets a token, and how the cluster checks it. No secret."""

    client_id: Text
    issuer_url: HttpsUrl
    """Equal to the `issuer` of the IdP's discovery document, character for character."""
    user_claim: Text
    groups_claim: Text | None
    """None: the IdP's ID tokens carry no groups claim (Google Workspace)."""
    username_prefix: Prefix
    groups_prefix: Prefix
    scopes: Annotated[list[Scope], AfterValidator(_at_least_one)]
    pkce_method: PkceMethod = Field(strict=False)
    redirect_uris: Annotated[list[RedirectUri], AfterValidator(_at_least_one)]
    """`http://localhost:<port>` for every port kubelogin may listen on."""
    requires_client_secret: bool
    """True: the stack also has the `oidc_client_secret` output."""
    certificate_authority_data: CertificateData | None = None
    """Base64 PEM of the issuer's private CA; absent (None) when the issuer's certificate is publicly trusted."""

    @property
    def redirect_ports(self) -> tuple[int, ...]:
        return tuple(int(match[1]) for uri in self.redirect_uris if (match := _REDIRECT_URI.match(uri)))


class ClusterOutput(OutputValue):
    """The `cluster` output: the cluster as kubectl reaches it."""

    name: Text
    type: ClusterType = Field(strict=False)
    region_or_location: Text | None
    """The EKS region, GKE location or AKS (Azure) location; null exactly for a `kubernetes` cluster."""
    endpoint: HttpsUrl
    """The API server's URL."""
    certificate_authority_data: CertificateData

    @field_validator("region_or_location")
    @classmethod
    def _null_exactly_for_kubernetes(cls, value: str | None, info: ValidationInfo) -> str | None:
        cluster_type = info.data.get("type")  # absent when `type` itself was refused
        if cluster_type is ClusterType.KUBERNETES and value is not None:
            raise ValueError(f"must be null for a `kubernetes` cluster (it has no region), got {shorten(value)!r}")
        if cluster_type is not None and cluster_type is not ClusterType.KUBERNETES and value is None:
            raise ValueError("must be the cluster's region or location: null only for type `kubernetes`")
        return value


class WorkforceOutput(OutputValue):
    """The `workforce` output of a `workforce_identity` GKE pair: gcloud signs in through the pool's provider."""

    pool: Text
    provider: Text
    project: Text
    location: Text
    cluster_name: Text


SENSITIVE_OUTPUTS_HELP = (
    "the stack's IdP needs a client secret (requires_client_secret is true); write the outputs with "
    "`cdktf deploy … --outputs-file-include-sensitive-outputs`, or use `terraform output -json`"
)


class OidcPairOutputs(ContractModel):
    """Every output of a pair stack whose engineers sign in with kubelogin."""

    oidc_config: OidcConfigOutput
    oidc_client_secret: Text | None = Field(default=None, validate_default=True)
    cluster: ClusterOutput

    @field_validator("oidc_client_secret")
    @classmethod
    def _present_when_required(cls, value: str | None, info: ValidationInfo) -> str | None:
        oidc = info.data.get("oidc_config")  # absent when the oidc_config output was refused
        if value is None and oidc is not None and oidc.requires_client_secret:
            raise ValueError(f"required key is missing; {SENSITIVE_OUTPUTS_HELP}")
        return value


class WorkforcePairOutputs(ContractModel):
    """Every output of a `workforce_identity` GKE pair stack (no `oidc_config`: kubectl never talks to
    the IdP there, gcloud does)."""

    cluster: ClusterOutput
    workforce: WorkforceOutput

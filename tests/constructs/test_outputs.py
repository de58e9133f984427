"""The output contract (DESIGN.md contract 4) and its render-time re-checks (contract 5), model by
model: field names and order as the design spells them, `value_of` for the stacks, and every rule
the render step relies on, each with a value it accepts and one it refuses."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from constructs_lib.outputs import (
    CLIENT_SECRET,
    CLUSTER,
    MAX_CERTIFICATE_BYTES,
    MAX_TEXT_BYTES,
    OIDC_CONFIG,
    OUTPUT_NAMES,
    WORKFORCE,
    ClusterOutput,
    OidcConfigOutput,
    OidcPairOutputs,
    WorkforceOutput,
    WorkforcePairOutputs,
    shorten,
)

PEM = (
    "-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n"
    "-----END CERTIFICATE-----\n"
)
CA_DATA = base64.b64encode(PEM.encode()).decode()

OIDC = {
    "client_id": "0oa1",
    "issuer_url": "https://acme.okta.com/oauth2/aus1",
    "user_claim": "email",
    "groups_claim": "groups",
    "username_prefix": "okta:",
    "groups_prefix": "okta:",
    "scopes": ["openid", "email"],
    "pkce_method": "S256",
    "redirect_uris": ["http://localhost:8000", "http://localhost:18000"],
    "requires_client_secret": False,
}
CLUSTER_VALUE = {
    "name": "Prod",
    "type": "eks",
    "region_or_location": "us-west-2",
    "endpoint": "https://ABC.gr7.us-west-2.eks.amazonaws.com",
    "certificate_authority_data": CA_DATA,
}
WORKFORCE_VALUE = {
    "pool": "acme-pool",
    "provider": "okta-main",
    "project": "acme-wf",
    "location": "us-west1",
    "cluster_name": "wf",
}


def refusal(model: type[BaseModel], data: dict[str, Any]) -> dict[tuple[str | int, ...], str]:
    """{location: message} of every error validating `data`."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {tuple(error["loc"]): error["msg"].removeprefix("Value error, ") for error in caught.value.errors()}


def test_fields_are_the_designs_in_its_order() -> None:
    assert tuple(OidcConfigOutput.model_fields) == (
        "client_id",
        "issuer_url",
        "user_claim",
        "groups_claim",
        "username_prefix",
        "groups_prefix",
        "scopes",
        "pkce_method",
        "redirect_uris",
        "requires_client_secret",
        "certificate_authority_data",
    )
    assert tuple(ClusterOutput.model_fields) == (
        "name",
        "type",
        "region_or_location",
        "endpoint",
        "certificate_authority_data",
    )
    assert tuple(WorkforceOutput.model_fields) == ("pool", "provider", "project", "location", "cluster_name")


def test_output_names_are_the_designs_and_the_pair_models_fields() -> None:
    assert OUTPUT_NAMES == ("oidc_config", "oidc_client_secret", "cluster", "workforce")
    assert tuple(OidcPairOutputs.model_fields) == (OIDC_CONFIG, CLIENT_SECRET, CLUSTER)
    assert tuple(WorkforcePairOutputs.model_fields) == (CLUSTER, WORKFORCE)


def test_value_of_gives_the_fields_in_order_without_checking_values() -> None:
    token = "${TfToken[TOKEN.12]}"  # what a stack holds at synth time: not an https URL yet
    value = ClusterOutput.value_of(
        certificate_authority_data=token,
        endpoint=token,
        region_or_location="us-west-2",
        type="eks",
        name="Prod",
    )
    assert list(value) == list(ClusterOutput.model_fields)
    assert value["endpoint"] == token


def test_value_of_refuses_a_missing_or_unknown_field() -> None:
    with pytest.raises(TypeError, match=r"missing fields \['cluster_name'\], unknown fields \['cluster'\]"):
        WorkforceOutput.value_of(pool="p", provider="q", project="r", location="s", cluster="t")


def test_value_of_leaves_an_optional_field_out_unless_given() -> None:
    """`oidc_config.certificate_authority_data` is in the output only for an issuer with a private CA."""
    assert OidcConfigOutput.required_fields() == tuple(OIDC)
    assert list(OidcConfigOutput.value_of(**OIDC)) == list(OIDC)
    with_ca = OidcConfigOutput.value_of(**OIDC, certificate_authority_data=CA_DATA)
    assert list(with_ca) == [*OIDC, "certificate_authority_data"]
    assert with_ca["certificate_authority_data"] == CA_DATA


def test_the_outputs_the_stacks_write_are_accepted() -> None:
    pair = OidcPairOutputs.model_validate({"oidc_config": OIDC, "cluster": CLUSTER_VALUE})
    assert pair.oidc_config.redirect_ports == (8000, 18000)
    assert dict(pair.oidc_config) | {"pkce_method": "S256"} == {**OIDC, "certificate_authority_data": None}
    workforce = WorkforcePairOutputs.model_validate({"cluster": CLUSTER_VALUE, "workforce": WORKFORCE_VALUE})
    assert workforce.workforce.pool == "acme-pool"


HOSTILE = {
    "ESC": "\x1b[2J",
    "OSC": "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "CR": "\rok",
    "newline": "\nnext",
    "tab": "\tx",
    "NUL": "\x00",
    "DEL": "\x7f",
    "C1 CSI": "\x9b2J",
    "C1 NEL": "\x85",
    "U+202A": "\u202a",
    "U+202E": "\u202eevil",
    "U+2066": "\u2066",
    "U+2069": "\u2069",
    "surrogate": "\ud800",
}
"""Characters no output string may hold, with the first unsafe one of each."""
FIRST_UNSAFE = {
    "ESC": "the control character U+001B",
    "OSC": "the control character U+001B",
    "CR": "the control character U+000D",
    "newline": "the control character U+000A",
    "tab": "the control character U+0009",
    "NUL": "the control character U+0000",
    "DEL": "the control character U+007F",
    "C1 CSI": "the control character U+009B",
    "C1 NEL": "the control character U+0085",
    "U+202A": "U+202A LEFT-TO-RIGHT EMBEDDING",
    "U+202E": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "U+2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "U+2069": "U+2069 POP DIRECTIONAL ISOLATE",
    "surrogate": "an unpaired surrogate U+D800",
}
TEXT_FIELDS: list[tuple[type[BaseModel], dict[str, Any], tuple[str | int, ...]]] = [
    *[(OidcConfigOutput, OIDC, (name,)) for name, value in OIDC.items() if isinstance(value, str)],
    (OidcConfigOutput, OIDC, ("scopes", 1)),
    (OidcConfigOutput, OIDC, ("redirect_uris", 0)),
    *[(ClusterOutput, CLUSTER_VALUE, (name,)) for name in CLUSTER_VALUE],
    *[(WorkforceOutput, WORKFORCE_VALUE, (name,)) for name in WORKFORCE_VALUE],
]
"""Every string of every output value (the secret: below)."""


def with_value(data: dict[str, Any], loc: tuple[str | int, ...], make: Any) -> dict[str, Any]:
    changed = {key: list(value) if isinstance(value, list) else value for key, value in data.items()}
    if len(loc) == 1:
        changed[loc[0]] = make(changed[loc[0]])
    else:
        field, index = loc
        changed[field][index] = make(changed[field][index])
    return changed


def field_id(case: tuple[type[BaseModel], dict[str, Any], tuple[str | int, ...]]) -> str:
    return f"{case[0].__name__}.{'.'.join(map(str, case[2]))}"


@pytest.mark.parametrize("case", TEXT_FIELDS, ids=field_id)
@pytest.mark.parametrize("kind", HOSTILE)
def test_unsafe_characters_are_refused_in_every_field(
    case: tuple[type[BaseModel], dict[str, Any], tuple[str | int, ...]], kind: str
) -> None:
    model, good, loc = case
    errors = refusal(model, with_value(good, loc, lambda value: value + HOSTILE[kind]))
    assert list(errors) == [loc]
    if loc not in {("type",), ("pkce_method",)}:  # closed choices: refused as not one of them
        assert f"holds {FIRST_UNSAFE[kind]} at index " in errors[loc]
        assert "would reach engineers' terminals" in errors[loc]


@pytest.mark.parametrize("case", TEXT_FIELDS, ids=field_id)
def test_values_longer_than_4_kib_are_refused(
    case: tuple[type[BaseModel], dict[str, Any], tuple[str | int, ...]],
) -> None:
    model, good, loc = case
    limit = MAX_CERTIFICATE_BYTES if loc == ("certificate_authority_data",) else MAX_TEXT_BYTES
    errors = refusal(model, with_value(good, loc, lambda value: value + "A" * (limit + 1 - len(value))))
    assert list(errors) == [loc]
    if loc not in {("type",), ("pkce_method",)}:
        assert f"is {limit + 1:,} bytes long" in errors[loc]
        assert f"at most {limit // 1024} KiB" in errors[loc]


def test_the_limit_counts_utf8_bytes() -> None:
    errors = refusal(ClusterOutput, {**CLUSTER_VALUE, "name": "é" * (MAX_TEXT_BYTES // 2 + 1)})
    assert "is 4,098 bytes long" in errors[("name",)]
    ClusterOutput.model_validate({**CLUSTER_VALUE, "name": "é" * (MAX_TEXT_BYTES // 2)})


def test_certificate_data_may_be_a_bundle_up_to_64_kib() -> None:
    bundle = base64.b64encode((PEM * 60).encode()).decode()
    assert MAX_TEXT_BYTES < len(bundle) < MAX_CERTIFICATE_BYTES
    assert ClusterOutput.model_validate({**CLUSTER_VALUE, "certificate_authority_data": bundle})
    too_big = base64.b64encode((PEM * 600).encode()).decode()
    errors = refusal(ClusterOutput, {**CLUSTER_VALUE, "certificate_authority_data": too_big})
    assert "at most 64 KiB" in errors[("certificate_authority_data",)]


STARTS_WITH_SYSTEM = (
    "must not start with 'system:' (reserved for Kubernetes' own users and groups: an IdP group 'masters' would "
    "become 'system:masters')"
)
FROM_STATE = "the stacks never write such a prefix, so check who changed the stack's state"


@pytest.mark.parametrize("prefix", ["system:", "system:masters:", "system:serviceaccounts:"])
@pytest.mark.parametrize("field", ["username_prefix", "groups_prefix"])
def test_a_system_prefix_is_refused(field: str, prefix: str) -> None:
    errors = refusal(OidcConfigOutput, {**OIDC, field: prefix})
    assert errors == {(field,): f"{prefix!r} {STARTS_WITH_SYSTEM}; {FROM_STATE}"}


@pytest.mark.parametrize("prefix", ["s", "sys", "system"])
@pytest.mark.parametrize("field", ["username_prefix", "groups_prefix"])
def test_a_prefix_that_leads_into_system_is_refused(field: str, prefix: str) -> None:
    # `sys` + an IdP group `tem:masters` is `system:masters`: the prefix alone must rule that out.
    errors = refusal(OidcConfigOutput, {**OIDC, field: prefix})
    rest = "system:masters"[len(prefix) :]
    assert errors == {
        (field,): f"{prefix!r} must not be the start of 'system:' (reserved for Kubernetes' own users and groups: "
        f"an IdP group {rest!r} would become 'system:masters'); {FROM_STATE}"
    }


@pytest.mark.parametrize("field", ["username_prefix", "groups_prefix"])
def test_an_empty_prefix_is_refused(field: str) -> None:
    # An IdP group named `system:masters` would be the real one.
    errors = refusal(OidcConfigOutput, {**OIDC, field: ""})
    assert errors == {
        (field,): "'' must not be empty: subjects from the IdP would be indistinguishable from other users and "
        f"groups, and an IdP group named 'system:masters' would be Kubernetes' own admin group; {FROM_STATE}"
    }


@pytest.mark.parametrize("prefix", ["okta:", "okta:system:", "System:", "systemd:", "s:"])
def test_other_prefixes_are_accepted(prefix: str) -> None:
    assert OidcConfigOutput.model_validate({**OIDC, "username_prefix": prefix, "groups_prefix": prefix})


PLAIN_URL_RULE = (
    "must be an https:// URL with a host, no whitespace and only valid %-escapes, and no user name, query or fragment"
)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (
            "https://ABC.gr7.us-west-2.eks.amazonaws.com@127.0.0.1",
            "must hold no user name or password before the host ('…@'): clients would connect to '127.0.0.1', the "
            "part after the '@'",
        ),
        ("https://acme.okta.com/oauth2/aus1?x=1", "must hold no query ('?…') or fragment ('#…')"),
        ("https://acme.okta.com/oauth2/aus1#top", "must hold no query ('?…') or fragment ('#…')"),
    ],
)
def test_urls_are_plain_at_render_time(url: str, problem: str) -> None:
    expected = f"{PLAIN_URL_RULE}: {shorten(url)!r} {problem}"
    assert refusal(OidcConfigOutput, {**OIDC, "issuer_url": url}) == {("issuer_url",): expected}
    assert refusal(ClusterOutput, {**CLUSTER_VALUE, "endpoint": url}) == {("endpoint",): expected}


def pem_block(label: str, der: bytes) -> str:
    return f"-----BEGIN {label}-----\n{base64.b64encode(der).decode()}\n-----END {label}-----\n"


CERTIFICATE_RULE = (
    "must be base64 of a PEM certificate (-----BEGIN CERTIFICATE-----…), as kubeconfig's "
    "certificate-authority-data takes it, and of nothing else: it "
)


@pytest.mark.parametrize(
    ("pem", "problem"),
    [
        (
            PEM + pem_block("PRIVATE KEY", b"\x30\x03\x02\x01\x00"),
            "decodes to text that PEM block 2 is a PRIVATE KEY, not a CERTIFICATE",
        ),
        (
            PEM + "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n",
            "decodes to text that holds 1 line of text outside its PEM blocks",
        ),
        # The first byte of every X.509 certificate's DER is a SEQUENCE tag (0x30); a SET (0x31) is no certificate.
        (
            pem_block("CERTIFICATE", b"\x31\x03\x02\x01\x00"),
            "decodes to text that PEM block 1 does not hold a DER SEQUENCE (the outer structure of a certificate)",
        ),
        (
            "no PEM here\n",
            "decodes to text that holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
        ),
    ],
    ids=["private-key-beside", "secret-beside", "not-a-sequence", "no-pem"],
)
def test_certificate_data_holds_certificates_and_nothing_else(pem: str, problem: str) -> None:
    data = base64.b64encode(pem.encode()).decode()
    errors = refusal(ClusterOutput, {**CLUSTER_VALUE, "certificate_authority_data": data})
    assert errors == {("certificate_authority_data",): f"{CERTIFICATE_RULE}{problem}; got {shorten(data)!r}"}


def test_certificate_data_that_is_a_der_sequence_is_accepted() -> None:
    # The other side of the SEQUENCE check: the same block with the SEQUENCE tag passes.
    data = base64.b64encode(pem_block("CERTIFICATE", b"\x30\x03\x02\x01\x00").encode()).decode()
    assert ClusterOutput.model_validate({**CLUSTER_VALUE, "certificate_authority_data": data})


def test_an_issuers_private_ca_is_optional_and_checked_like_cluster_ca_data() -> None:
    """`oidc_config.certificate_authority_data` (contract 4, round 3): absent for a publicly trusted issuer,
    base64 of CERTIFICATE blocks and nothing else when present."""
    assert OidcConfigOutput.model_validate(OIDC).certificate_authority_data is None
    assert OidcConfigOutput.model_validate({**OIDC, "certificate_authority_data": CA_DATA}).certificate_authority_data
    with_key = base64.b64encode((PEM + pem_block("PRIVATE KEY", b"\x30\x03\x02\x01\x00")).encode()).decode()
    assert refusal(OidcConfigOutput, {**OIDC, "certificate_authority_data": with_key}) == {
        ("certificate_authority_data",): f"{CERTIFICATE_RULE}decodes to text that PEM block 2 is a PRIVATE KEY, "
        f"not a CERTIFICATE; got {shorten(with_key)!r}"
    }
    assert list(refusal(OidcConfigOutput, {**OIDC, "certificate_authority_data": "\x1b[2J"})) == [
        ("certificate_authority_data",)
    ]


def test_an_aks_cluster_has_its_azure_location() -> None:
    aks = {**CLUSTER_VALUE, "type": "aks", "region_or_location": "westeurope"}
    assert ClusterOutput.model_validate(aks).type.value == "aks"
    assert refusal(ClusterOutput, {**aks, "region_or_location": None}) == {
        ("region_or_location",): "must be the cluster's region or location: null only for type `kubernetes`"
    }


def test_the_secret_is_checked_like_every_string() -> None:
    required = {**OIDC, "requires_client_secret": True}
    assert refusal(OidcPairOutputs, {"oidc_config": required, "cluster": CLUSTER_VALUE}) == {
        ("oidc_client_secret",): "required key is missing; the stack's IdP needs a client secret "
        "(requires_client_secret is true); write the outputs with `cdktf deploy … "
        "--outputs-file-include-sensitive-outputs`, or use `terraform output -json`"
    }
    for secret in ("GOCSPX-\x1b[2J", "x" * (MAX_TEXT_BYTES + 1), "\u202e"):
        errors = refusal(
            OidcPairOutputs, {"oidc_config": required, "oidc_client_secret": secret, "cluster": CLUSTER_VALUE}
        )
        assert list(errors) == [("oidc_client_secret",)]
    pair = OidcPairOutputs.model_validate(
        {"oidc_config": required, "oidc_client_secret": "GOCSPX-1", "cluster": CLUSTER_VALUE}
    )
    assert pair.oidc_client_secret == "GOCSPX-1"


def test_region_or_location_is_null_exactly_for_kubernetes() -> None:
    kubernetes = {**CLUSTER_VALUE, "type": "kubernetes", "region_or_location": None}
    assert ClusterOutput.model_validate(kubernetes).region_or_location is None
    assert refusal(ClusterOutput, {**kubernetes, "region_or_location": "us-west-2"}) == {
        ("region_or_location",): "must be null for a `kubernetes` cluster (it has no region), got 'us-west-2'"
    }
    assert refusal(ClusterOutput, {**CLUSTER_VALUE, "region_or_location": None}) == {
        ("region_or_location",): "must be the cluster's region or location: null only for type `kubernetes`"
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer_url", "http://acme.okta.com", "must be an https:// URL with a host"),
        ("issuer_url", "https://acme.okta.com/a b", "must be an https:// URL with a host"),
        ("issuer_url", "https://acme.okta.com/%zz", "only valid %-escapes"),
        ("issuer_url", "https://:443/x", "must be an https:// URL with a host"),
        ("client_id", "", "must not be empty"),
        ("scopes", [], "expected a non-empty list, got an empty list"),
        ("scopes", ["openid", "a,b"], "must be an OAuth scope without spaces, quotes, commas or backslashes"),
        ("redirect_uris", ["http://localhost:99999"], "must be http://localhost:<port>"),
        ("redirect_uris", ["http://127.0.0.1:8000"], "must be http://localhost:<port>"),
    ],
)
def test_format_rules(field: str, value: Any, message: str) -> None:
    errors = refusal(OidcConfigOutput, {**OIDC, field: value})
    ((_, found),) = errors.items()
    assert message in found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({**OIDC, "client_id": 42}, ("client_id",)),
        ({**OIDC, "requires_client_secret": "false"}, ("requires_client_secret",)),
        ({**OIDC, "scopes": "openid email"}, ("scopes",)),
        ({**OIDC, "pkce_method": "plain"}, ("pkce_method",)),
    ],
)
def test_values_are_taken_as_json_gives_them(value: dict[str, Any], expected: tuple[str, ...]) -> None:
    assert list(refusal(OidcConfigOutput, value)) == [expected]

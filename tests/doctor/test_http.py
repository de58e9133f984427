"""doctor's HTTPS (doctor.http) against a hostile identity provider on loopback: each answer, body
included, whole within 10 s and at most 1 MiB — a drip-fed or endless answer is a FAIL line, not a
hang — JSON within bounds, redirects only for GETs and only to https."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from doctor_support import doctor_env, lines, run_doctor
from hostile_https import (
    GIB,
    HostileServer,
    deep_json,
    drip_body,
    drip_headers,
    endless_body,
    json_answer,
    long_number,
    redirect,
)
from time_guard import within

from doctor.http import FetchError, IdpHttps, JsonResponse

DISCOVERY = "/.well-known/openid-configuration"
MIB = 1024 * 1024


def get_json(url: str, *, seconds: float = 5, max_bytes: int = MIB) -> object:
    with IdpHttps(seconds=seconds, max_bytes=max_bytes) as https:
        return within(seconds + 10, lambda: https.get_json(url))


def get_failure(url: str, **bounds: float) -> str:
    with pytest.raises(FetchError) as raised:
        get_json(url, **bounds)
    return str(raised.value)


def post(url: str) -> JsonResponse:
    with IdpHttps() as https:
        return within(15, lambda: https.request_json("POST", url, data={"code": "c"}))


# --- the real bounds, through the CLI ----------------------------------------------------------------


def hostile_config(folder: Path, issuer: str) -> Path:
    config = folder / "oidc.yaml"
    config.write_text(
        f"""\
version: 1
identity_providers:
  corp: {{type: jumpcloud, prefix: "corp:", issuer_url: "{issuer}", client_id: doctor-public}}
clusters:
  prod: {{type: eks, region: us-west-2, cluster_name: Prod, identity_providers: [corp]}}
""",
        encoding="utf-8",
    )
    return config


def test_a_drip_fed_discovery_document_fails_after_10_s(idp: HostileServer, tmp_path: Path) -> None:
    idp.routes[DISCOVERY] = drip_body(interval=0.5)
    started = time.monotonic()
    result = run_doctor(hostile_config(tmp_path, idp.url), env=doctor_env(None, SSL_CERT_FILE=str(idp.ca_file)))
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines(result.stdout) == [
        f"FAIL  corp  discovery: no complete answer from {idp.url}{DISCOVERY} within 10 s; check the issuer URL "
        "(identity_providers.corp.issuer_url) and that it is reachable"
    ]
    assert 10 <= elapsed < 20
    assert idp.sent[DISCOVERY] > 10  # it kept answering, a byte at a time, all along


def test_a_discovery_document_over_1_mib_fails(idp: HostileServer, tmp_path: Path) -> None:
    idp.routes[DISCOVERY] = endless_body(total=3 * GIB)
    result = run_doctor(hostile_config(tmp_path, idp.url), env=doctor_env(None, SSL_CERT_FILE=str(idp.ca_file)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines(result.stdout) == [
        f"FAIL  corp  discovery: {idp.url}{DISCOVERY} answered more than 1 MiB: at most that is read; check the "
        "issuer URL (identity_providers.corp.issuer_url) and that it is reachable"
    ]
    time.sleep(0.5)
    assert MIB < idp.sent[DISCOVERY] < 48 * MIB


# --- each bound, small --------------------------------------------------------------------------------


def test_drip_fed_headers_fail_at_the_deadline(idp: HostileServer) -> None:
    idp.routes[DISCOVERY] = drip_headers(interval=0.2)
    started = time.monotonic()
    assert get_failure(f"{idp.url}{DISCOVERY}", seconds=1) == f"no complete answer from {idp.url}{DISCOVERY} within 1 s"
    assert 1 <= time.monotonic() - started < 2


def test_an_answer_at_the_bound_is_read_and_one_byte_more_is_not(idp: HostileServer) -> None:
    idp.routes["/exact"] = json_answer(b'"' + b"a" * 4094 + b'"')
    idp.routes["/over"] = json_answer(b'"' + b"a" * 4095 + b'"')
    assert get_json(f"{idp.url}/exact", max_bytes=4096) == "a" * 4094
    assert get_failure(f"{idp.url}/over", max_bytes=4096) == (
        f"{idp.url}/over answered 4,097 bytes: at most 4,096 bytes is read"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (deep_json(), "JSON nested 100000 levels deep: at most 64 levels of objects and arrays are read"),
        (long_number(), "a number with 5000 digits: at most 64 digits are read (e.g. 8000 or 1.5)"),
    ],
    ids=["deep", "long-number"],
)
def test_hostile_json_fails_with_a_sentence(idp: HostileServer, body: bytes, message: str) -> None:
    idp.routes[DISCOVERY] = json_answer(body)
    assert get_failure(f"{idp.url}{DISCOVERY}") == f"{idp.url}{DISCOVERY} answered {message}"
    idp.routes["/token"] = json_answer(body, status=400)
    with pytest.raises(FetchError) as raised:
        post(f"{idp.url}/token")
    assert str(raised.value) == f"{idp.url}/token answered {message}"


def test_a_token_answer_that_is_not_json_is_an_answer_without_a_body(idp: HostileServer) -> None:
    idp.routes["/token"] = json_answer(b"<html>Bad Gateway</html>", status=502)
    assert post(f"{idp.url}/token") == JsonResponse(502, None)


# --- redirects ------------------------------------------------------------------------------------------


def test_a_get_follows_up_to_5_redirects(idp: HostileServer) -> None:
    for hop in range(6):
        idp.routes[f"/hop{hop}"] = redirect(f"/hop{hop + 1}")
    idp.routes["/hop6"] = json_answer({"issuer": "x"})
    assert get_json(f"{idp.url}/hop1") == {"issuer": "x"}
    assert get_failure(f"{idp.url}/hop0") == f"{idp.url}/hop0 answered HTTP 302, expected 200"


def test_a_redirect_to_plain_http_is_refused(idp: HostileServer) -> None:
    plain = idp.url.replace("https:", "http:") + "/keys"
    idp.routes["/keys"] = redirect(plain)
    assert get_failure(f"{idp.url}/keys") == f"{plain} is not https: identity providers must be reached over TLS"


def test_the_token_endpoint_is_not_redirected(idp: HostileServer) -> None:
    """A code and verifier go to the token endpoint the discovery document names, nowhere else."""
    idp.routes["/token"] = redirect("/elsewhere", status=307)
    idp.routes["/elsewhere"] = json_answer({"id_token": "x"})
    assert post(f"{idp.url}/token") == JsonResponse(307, None)
    assert idp.requested == ["/token"]

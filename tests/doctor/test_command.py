"""The doctor command: bad input (exit 2, before any request), the bundled example offline, and what
importing it loads (httpx and joserfc only once used; no cdktf, jsii or provider code: tests/test_layering.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from doctor_support import PROJECT_ROOT, Provider, check_of, doctor_env, lines, run_doctor

from render.outputs_reader import OutputsFiles, read_complete

EXAMPLE_CONFIG = PROJECT_ROOT / "oidc.yaml"
EXAMPLE_OUTPUTS = PROJECT_ROOT / "tests" / "render" / "fixtures" / "outputs.cdktf.json"
EXAMPLE_OUTPUT_FOLDER = PROJECT_ROOT / "tests" / "render" / "fixtures" / "terraform-output"


def test_an_unknown_identity_provider_is_bad_input_with_a_suggestion(config: Path, provider: Provider) -> None:
    result = run_doctor(config, "--identity-provider", "crop", "--identity-provider", "zzz", env=doctor_env(provider))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: command line: 2 problems:",
        f"  - --identity-provider: unknown identity provider 'crop' (did you mean 'corp'?); the config {config} "
        "declares corp, gws",
        f"  - --identity-provider: unknown identity provider 'zzz'; the config {config} declares corp, gws",
    ]


def test_an_unreadable_token_file_is_bad_input(tmp_path: Path, config: Path, provider: Provider) -> None:
    missing = tmp_path / "missing.jwt"
    result = run_doctor(config, "--id-token", str(missing), env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {missing}: --id-token: no such file\n"

    result = run_doctor(config, "--id-token", str(tmp_path), env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {tmp_path}: --id-token: is a folder, not a regular file\n"


def test_a_token_file_without_a_jwt_is_bad_input(tmp_path: Path, config: Path, provider: Provider) -> None:
    path = tmp_path / "token.txt"
    path.write_text("not a token\n", encoding="utf-8")
    result = run_doctor(config, "--id-token", str(path), env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {path}: --id-token: the content is not an ID token: expected a JWT, three base64url parts separated "
        "by dots\n"
    )
    path.write_text("a.b.c.d.e", encoding="utf-8")
    result = run_doctor(config, "--id-token", str(path), env=doctor_env(provider))
    assert result.returncode == 2
    assert "is an encrypted token (JWE)" in result.stderr


def test_bad_outputs_are_bad_input(tmp_path: Path, config: Path, provider: Provider) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text("{not json", encoding="utf-8")
    result = run_doctor(config, "--outputs", str(outputs), env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {outputs}: {outputs}: malformed JSON: line 1, column 2: Expecting property name enclosed in double "
        "quotes\n"
    )
    outputs.write_text(json.dumps({"data-corp": []}), encoding="utf-8")
    result = run_doctor(config, "--outputs", str(outputs), env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {outputs}: data-corp: must be an object of outputs, got an empty list\n"

    outputs.write_text(
        json.dumps({"prod-corp": {"oidc_config": {"client_id": 7, "scopes": []}}, "other-stack": {}}),
        encoding="utf-8",
    )
    result = run_doctor(config, "--outputs", str(outputs), env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    problems = result.stderr.splitlines()
    # The output contract's checks (constructs_lib/outputs.py), as the render step makes them.
    assert problems[0] == f"error: {outputs}: 11 problems:"
    assert "  - prod-corp.oidc_config.client_id: expected text, got the number 7" in problems
    assert "  - prod-corp.oidc_config.scopes: expected a non-empty list, got an empty list" in problems
    assert "  - prod-corp.oidc_config.issuer_url: required key is missing" in problems
    assert any(line.startswith("  - other-stack: stack is not in the config") for line in problems)


def test_no_browser_needs_login(config: Path, provider: Provider) -> None:
    result = run_doctor(config, "--no-browser", env=doctor_env(provider))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: command line: --no-browser: applies only with --login\n"


def test_a_bad_ssl_cert_file_is_bad_input(tmp_path: Path, config: Path) -> None:
    missing = tmp_path / "no-ca.pem"
    result = run_doctor(config, env=doctor_env(None, SSL_CERT_FILE=str(missing)))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(
        f"error: environment: SSL_CERT_FILE: {missing}: not a readable PEM file of CA certificates ("
    )


def test_the_bundled_example_offline_is_a_sensible_report(tmp_path: Path) -> None:
    """No network in the sandbox (or fake hosts on a connected machine): every issuer is named, either
    skipped with its reason or checked, with clear FAIL lines instead of tracebacks."""
    env = doctor_env(None)
    for outputs in (EXAMPLE_OUTPUTS, EXAMPLE_OUTPUT_FOLDER):
        result = run_doctor(EXAMPLE_CONFIG, "--outputs", str(outputs), env=env)
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        output = lines(result.stdout)
        assert (
            "skip  entra      discovery: demo-entra: no outputs in "
            f"{outputs} (deploy the stack first): its issuer is known only after deploy"
        ) in output
        assert (
            "skip  okta-main  discovery: lab-okta-main: no outputs in "
            f"{outputs} (deploy the stack first): its issuer is known only after deploy"
        ) in output
        raw = read_complete(OutputsFiles(outputs))
        for idp, issuer in (
            ("okta-main", raw["prod-okta-main"]["oidc_config"]["issuer_url"]),
            ("gws", "https://accounts.google.com"),
            ("jc", "https://oauth.id.jumpcloud.com/"),
        ):
            first = next(
                line
                for line in output
                if line.split()[1] == idp and check_of(line) == "discovery" and not line.startswith("skip")
            )
            well_known = issuer.rstrip("/") + "/.well-known/openid-configuration"
            assert first.startswith((f"ok    {idp:<9}  discovery: {well_known} serves", f"FAIL  {idp:<9}  discovery:"))
            assert well_known in first


def test_the_bundled_example_without_outputs_skips_issuers_known_after_deploy() -> None:
    result = run_doctor(
        EXAMPLE_CONFIG, "--identity-provider", "okta-main", "--identity-provider", "entra", env=doctor_env(None)
    )
    assert result.returncode == 0
    assert lines(result.stdout) == [
        "skip  okta-main  discovery: prod-okta-main, lab-okta-main: the issuer of the authorization server k8s-oidc "
        "creates is known only after deploy: pass --outputs FILE_OR_DIR (as for render: cdktf's outputs file, or a "
        "folder of `terraform output -json` files)",
        "skip  entra      discovery: demo-entra: the issuer names your Entra tenant "
        "(https://login.microsoftonline.com/<tenant>/v2.0) and is known only after deploy (or set "
        "identity_providers.entra.issuer_url): pass --outputs FILE_OR_DIR (as for render: cdktf's outputs file, or a "
        "folder of `terraform output -json` files)",
    ]


def test_importing_doctor_loads_neither_httpx_nor_joserfc() -> None:
    heavy = ("httpx", "joserfc", "cdktf", "jsii", "http.server", "webbrowser")
    probe = f"import sys, doctor; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "[]\n"


def test_the_cli_help_lists_doctor() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "doctor", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for option in (
        "--identity-provider NAME",
        "--outputs FILE_OR_DIR",
        "--id-token FILE",
        "--login",
        "--no-browser",
        "--json",
    ):
        assert option in result.stdout


def test_a_token_file_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "token.jwt"
    os.mkfifo(fifo)
    result = run_doctor(EXAMPLE_CONFIG, "--id-token", str(fifo), env=doctor_env(None))
    assert result.returncode == 2
    assert result.stderr == f"error: {fifo}: --id-token: is a FIFO (named pipe), not a regular file\n"


def test_a_token_from_standard_input_is_read_up_to_16_mib(tmp_path: Path) -> None:
    result = run_doctor(EXAMPLE_CONFIG, "--id-token", "-", env=doctor_env(None), stdin="x" * (16 * 1024 * 1024 + 1))
    assert result.returncode == 2
    assert result.stderr == "error: standard input: --id-token: more than 16 MiB: not an ID token\n"

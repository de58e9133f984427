"""`python main.py doctor`: every check of contract 6 for the selected IdPs, in order — discovery,
then the `--id-token`, then the `--login` sign-ins. Bad input is refused before any request."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from doctor.discovery import DiscoveryChecks, IssuerDocuments, fetch_documents
from doctor.http import IdpConnections
from doctor.id_token import UnverifiedToken, analyze_token, parse_token
from doctor.report import Report, Status
from doctor.targets import OUTPUTS_HELP, IdpTarget, build_targets, read_oidc_outputs, select_identity_providers
from render.outputs_reader import OutputsSource
from stacks.config import Config
from stacks.errors import Problem, UserError
from stacks.input_files import MAX_INPUT_BYTES, InputFileError, read_input_file, size_text


def run(
    config: Config,
    *,
    identity_providers: Sequence[str] = (),
    outputs: OutputsSource | None = None,
    id_token: str | None = None,
    login: bool = False,
    open_browser: bool = True,
    json_output: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Check and report; return the exit status (0: nothing failed, 1: a check failed). Bad input
    (an unknown IdP, an unreadable token or outputs) raises `UserError` before any request. `outputs`:
    the deployed stacks' outputs (`--outputs`), for issuers and client ids known only after deploy."""
    if not login and not open_browser:
        raise UserError("command line", [Problem("--no-browser", "applies only with --login")])
    names = select_identity_providers(config, identity_providers)
    oidc_outputs = read_oidc_outputs(config, outputs) if outputs is not None else None
    token = _read_token(id_token, stdin or sys.stdin) if id_token is not None else None
    targets = build_targets(config, names, oidc_outputs, outputs)
    report = Report(stdout or sys.stdout, json_output=json_output, name_width=max(map(len, names)))
    documents: dict[str, IssuerDocuments] = {}
    with IdpConnections() as connections:
        for target in targets:
            _report_application(report, target)
            for reason in target.skipped:
                report.add(target.name, "discovery", Status.SKIP, reason)
            for issuer in target.issuers:
                if issuer.url not in documents:
                    documents[issuer.url] = fetch_documents(connections.trusting(issuer.issuer_ca), issuer.url)
                checks = DiscoveryChecks(report, target.name, target.type, issuer, label=len(target.issuers) > 1)
                checks.run(documents[issuer.url])
        if token is not None:
            analyze_token(report, config, targets, documents, token)
        if login:
            for target in targets:
                _sign_in(report, config, target, documents, connections, open_browser, stderr or sys.stderr)
    return report.finish()


def _report_application(report: Report, target: IdpTarget) -> None:
    """For an IdP with a shared application: that it is checked once, for which clusters; and any pair stack
    whose outputs name another application (applied before the shared one changed)."""
    application = target.application
    if application is None or application.trust is None:
        return  # an application per cluster; or not deployed yet (a skip says so, naming its clusters)
    trust = application.trust
    report.add(
        target.name,
        "shared application",
        Status.OK,
        f"one issuer and client id ({trust.issuer}, {trust.client_id}, stack {application.stack}) for the clusters "
        f"{', '.join(application.clusters)}: checked once for all of them",
    )
    for stale in application.differing(target.trusts):
        report.add(
            target.name,
            "shared application",
            Status.WARN,
            f"pair stack {stale.stack} outputs issuer {stale.issuer} and client id {stale.client_id}, not the shared "
            f"application's: cluster {stale.cluster} still trusts the application it was applied with; apply "
            f"{stale.stack} again",
        )


def _read_token(source: str, stdin: TextIO) -> UnverifiedToken:
    where = "standard input" if source == "-" else source
    try:
        text = stdin.read(MAX_INPUT_BYTES + 1) if source == "-" else read_input_file(Path(source)).decode("utf-8")
    except InputFileError as error:
        raise UserError(where, [Problem("--id-token", str(error))]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(where, [Problem("--id-token", f"cannot read the token: {error}")]) from None
    if len(text) > MAX_INPUT_BYTES:
        raise UserError(where, [Problem("--id-token", f"more than {size_text(MAX_INPUT_BYTES)}: not an ID token")])
    try:
        return parse_token(text)
    except ValueError as error:
        raise UserError(where, [Problem("--id-token", f"the content {error}")]) from None


def _sign_in(
    report: Report,
    config: Config,
    target: IdpTarget,
    documents: dict[str, IssuerDocuments],
    connections: IdpConnections,
    open_browser: bool,
    prompt: TextIO,
) -> None:
    """One sign-in (of two exchanges) per application of the IdP: per issuer and client id."""
    from doctor.login import SignIn  # the listener and the browser: only for --login

    applications = {(t.issuer, t.client_id): t for t in target.trusts if t.issuer and t.client_id}
    if not applications:
        report.add(
            target.name,
            "sign-in",
            Status.SKIP,
            f"no cluster's issuer and client id of this IdP are known before deploy: {OUTPUTS_HELP}",
        )
        return
    for trust in applications.values():
        issuer_documents = documents[trust.issuer or ""]
        if issuer_documents.document is None:
            report.add(target.name, "sign-in", Status.SKIP, f"the discovery of {trust.issuer} failed (above)")
            continue
        signed_in = SignIn(
            report,
            target,
            trust,
            issuer_documents,
            connections.trusting(trust.issuer_ca),
            ports=config.defaults.redirect_ports,
            open_browser=open_browser,
            prompt=prompt,
        ).run()
        if signed_in is not None:
            application = replace(
                target,
                trusts=tuple(t for t in target.trusts if (t.issuer, t.client_id) == (trust.issuer, trust.client_id)),
            )
            analyze_token(report, config, [application], documents, signed_in.token, nonce=signed_in.nonce)

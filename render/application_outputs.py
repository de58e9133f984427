"""The outputs of the shared applications' stacks `<idp>-idp` (DESIGN.md contract 4), checked: a deploy writes
them beside the pairs' (in both outputs forms), so they are input like any other output. Their `oidc_config`
must keep the output contract, and is what every pair of the IdP trusts: a pair whose client id or issuer
differs (deployed before the application was replaced, and not since) is named in a warning, since its
cluster and its kubeconfig still use the old application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from constructs_lib.outputs import OIDC_CONFIG, OidcConfigOutput
from render.outputs_reader import StackOutputs
from render.pair_outputs import PairOutputs
from stacks.config import Config
from stacks.config.messages import validate
from stacks.errors import Problem


def check_applications(
    config: Config, raw: Mapping[str, StackOutputs | None], problems: list[Problem]
) -> dict[str, OidcConfigOutput]:
    """{IdP: its shared application's `oidc_config`} of the `<idp>-idp` stacks the outputs hold, checked
    against the output contract; each breach is a problem. Stacks mapped to None were unreadable (their
    problem recorded)."""
    applications: dict[str, OidcConfigOutput] = {}
    for stack, idp in config.application_stacks().items():
        outputs = raw.get(stack)
        if outputs is None:
            continue  # not given (a render needs the pairs' outputs only), or unreadable
        if OIDC_CONFIG not in outputs:
            problems.append(Problem(f"{stack}.{OIDC_CONFIG}", "required output is missing"))
            continue
        oidc = validate(OidcConfigOutput, outputs[OIDC_CONFIG], (stack, OIDC_CONFIG), problems, from_yaml=False)
        if oidc is not None:
            applications[idp] = oidc
    return applications


def stale_pair_warnings(applications: Mapping[str, OidcConfigOutput], pairs: Sequence[PairOutputs]) -> list[str]:
    """A warning per pair of a shared application whose client id or issuer is not the application's."""
    warnings = []
    for pair in pairs:
        application = applications.get(pair.identity_provider)
        if application is None or pair.oidc is None:
            continue
        found = (pair.oidc.issuer_url, pair.oidc.client_id)
        if found != (application.issuer_url, application.client_id):
            warnings.append(
                f"{pair.stack}: its oidc_config (issuer {pair.oidc.issuer_url}, client id {pair.oidc.client_id}) "
                f"is not the shared application's of {pair.identity_provider}-idp (issuer {application.issuer_url}, "
                f"client id {application.client_id}): its cluster still trusts the application it was applied "
                f"with; apply {pair.stack} again, then render again"
            )
    return warnings

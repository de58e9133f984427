"""What doctor checks for each identity provider: the issuer and client id each cluster trusts.

A pair stack's `oidc_config` output is what its cluster really trusts, so it wins when `--outputs`
has it; for an IdP with a shared application, its stack `<idp>-idp` outputs what every pair of it reads;
otherwise the values come from the config. Some issuers exist only after deploy (an Okta authorization
server k8s-oidc creates, the Entra tenant's): without outputs, those are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import get_close_matches

from constructs_lib.oidc import IdentityProviderType
from constructs_lib.outputs import CLIENT_SECRET, OIDC_CONFIG, OidcConfigOutput
from doctor.http import IssuerCa
from render.outputs_reader import OutputsSource, read_complete
from stacks.config import CLUSTER_KINDS, Config, OktaIdp, SignIn, StackKind
from stacks.config.messages import describe, validate
from stacks.errors import Problem, UserError

OUTPUTS_HELP = (
    "pass --outputs FILE_OR_DIR (as for render: cdktf's outputs file, or a folder of `terraform output -json` files)"
)


@dataclass(frozen=True, kw_only=True)
class Trust:
    """How one cluster checks this IdP's tokens, and how kubelogin gets them."""

    cluster: str
    stack: str
    issuer: str | None
    """None: known only after deploy (see `unknown_reason`)."""
    client_id: str | None
    """None: the IdP application is created by the stack, its id known only after deploy."""
    user_claim: str
    groups_claim: str | None
    username_prefix: str
    groups_prefix: str
    scopes: tuple[str, ...]
    public_client: bool
    client_secret: str | None
    """From the stack's sensitive `oidc_client_secret` output, when the outputs carry it."""
    from_outputs: bool
    unknown_reason: str = ""
    issuer_ca: IssuerCa | None = None
    """The issuer's private CA, which kubelogin and the cluster trust for it alone; None: the issuer is publicly
    trusted."""
    subject_prefix: str = ""
    """What the cluster puts before the IdP's prefixes (`ClusterKindFacts.subject_prefix`: `aks:jwt:` on AKS)."""
    output_stack: str = ""
    """The stack whose `oidc_config` output gave these values: the pair's own, or its shared application's
    (`<idp>-idp`); empty when they come from the config."""


@dataclass(frozen=True, kw_only=True)
class Issuer:
    """One issuer of an IdP and what its discovery document must offer."""

    url: str
    setting: str
    """Where the URL came from, to say what to change: a config key or a stack output."""
    from_outputs: bool
    scopes: tuple[str, ...]
    user_claim: str
    groups_claim: str | None
    public_client: bool
    issuer_ca: IssuerCa | None = None
    """The issuer's private CA, trusted alone to reach it; None: the system's CAs."""


@dataclass(frozen=True, kw_only=True)
class SharedApplication:
    """An IdP's shared application (`application: shared`): the one issuer and client id its clusters trust."""

    stack: str
    """`<idp>-idp`."""
    clusters: tuple[str, ...]
    """The clusters it serves: those that sign in through kubelogin."""
    trust: Trust | None
    """As its stack's outputs give it; None without them (known only after deploy)."""

    def differing(self, trusts: Sequence[Trust]) -> list[Trust]:
        """The pairs' trusts, from their own outputs, whose issuer or client id is not the application's."""
        if self.trust is None:
            return []
        shared = (self.trust.issuer, self.trust.client_id)
        return [t for t in trusts if t.output_stack == t.stack and (t.issuer, t.client_id) != shared]


@dataclass(frozen=True, kw_only=True)
class IdpTarget:
    name: str
    type: IdentityProviderType
    trusts: tuple[Trust, ...]
    """One per cluster that uses this IdP through kubelogin (workforce_identity clusters don't)."""
    issuers: tuple[Issuer, ...]
    skipped: tuple[str, ...]
    """Why parts of this IdP can't be checked (e.g. an issuer known only after deploy)."""
    application: SharedApplication | None = None
    """The IdP's shared application; None: an application per cluster, or a client made by hand."""


def select_identity_providers(config: Config, names: Sequence[str]) -> list[str]:
    """The IdPs to check, in config order: all, or those named with --identity-provider."""
    unknown = [name for name in names if name not in config.identity_providers]
    if unknown:
        declared = list(config.identity_providers)
        problems = []
        for name in unknown:
            close = get_close_matches(name, declared, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                Problem(
                    "--identity-provider",
                    f"unknown identity provider {name!r}{hint}; the config {config.source} declares "
                    + ", ".join(declared),
                )
            )
        raise UserError("command line", problems)
    return [name for name in config.identity_providers if not names or name in names]


def build_targets(
    config: Config, names: Sequence[str], outputs: Mapping[str, OidcOutput] | None, source: OutputsSource | None
) -> list[IdpTarget]:
    """The targets of IdPs `names`; `outputs`: the pair stacks' `oidc_config` read from `source`."""
    return [_target(config, name, outputs, source) for name in names]


def _target(
    config: Config, name: str, outputs: Mapping[str, OidcOutput] | None, source: OutputsSource | None
) -> IdpTarget:
    idp_type = IdentityProviderType(config.identity_providers[name].type)
    application = _shared_application(config, name, outputs)
    trusts: list[Trust] = []
    for spec in config.stacks():
        if spec.kind is not StackKind.PAIR or spec.identity_provider != name:
            continue
        if CLUSTER_KINDS[config.clusters[spec.cluster].kind].sign_in is not SignIn.KUBELOGIN:
            continue  # gcloud signs in through the workforce pool there: the IdP never sees kubectl's client
        output = outputs.get(spec.name) if outputs is not None else None
        if output is not None:
            trust = output.trust(spec.cluster, spec.name)
        elif application is not None and application.trust is not None:
            # The pair reads its client id and issuer from the shared application's stack.
            trust = replace(application.trust, cluster=spec.cluster, stack=spec.name)
        else:
            trust = _config_trust(config, name, spec.cluster, spec.name, source)
        subject_prefix = CLUSTER_KINDS[config.clusters[spec.cluster].kind].subject_prefix
        trusts.append(replace(trust, subject_prefix=subject_prefix))
    issuers: dict[str, Issuer] = {}
    for trust in trusts:
        if trust.issuer is not None and trust.issuer not in issuers:
            issuers[trust.issuer] = _issuer(name, trust)
    unknown = [trust for trust in trusts if trust.unknown_reason]
    skipped = [
        f"{_stacks_in_words(application, [t.stack for t in unknown if t.unknown_reason == reason])}: {reason}"
        for reason in dict.fromkeys(trust.unknown_reason for trust in unknown)
    ]
    if not trusts:
        # No cluster signs in through kubelogin with it; a fixed issuer's document can still be checked.
        unused = _config_trust(config, name, "", "", None)
        if unused.issuer is not None:
            issuers[unused.issuer] = _issuer(name, unused)
        elif any(name in cluster.identity_providers for cluster in config.clusters.values()):
            skipped.append(
                "used by no cluster that signs in through kubelogin (only workforce_identity clusters, where gcloud "
                "signs in through the workforce pool), and its issuer is known only after deploy"
            )
        else:
            skipped.append("used by no cluster, and its issuer is known only after deploy")
    return IdpTarget(
        name=name,
        type=idp_type,
        trusts=tuple(trusts),
        issuers=tuple(issuers.values()),
        skipped=tuple(skipped),
        application=application,
    )


def _shared_application(
    config: Config, name: str, outputs: Mapping[str, OidcOutput] | None
) -> SharedApplication | None:
    """The IdP's shared application, with its stack's outputs when given; None when the IdP has none."""
    stack = next((stack for stack, idp in config.application_stacks().items() if idp == name), None)
    if stack is None:
        return None
    clusters = tuple(config.clusters_of_application(name))
    output = outputs.get(stack) if outputs is not None else None
    return SharedApplication(
        stack=stack, clusters=clusters, trust=output.trust("", stack) if output is not None else None
    )


def _stacks_in_words(application: SharedApplication | None, stacks: Sequence[str]) -> str:
    """The pair stacks a reason applies to; the shared application's stack when they are all its clusters'."""
    if application is not None and len(stacks) == len(application.clusters):
        return f"{application.stack} (the shared application of {', '.join(application.clusters)})"
    return ", ".join(stacks)


def _config_trust(config: Config, name: str, cluster: str, stack: str, source: OutputsSource | None) -> Trust:
    """What `cluster` trusts of IdP `name` by the config alone (its stack's outputs aren't given)."""
    idp = config.identity_providers[name]
    settings = idp.settings()
    issuer = settings.issuer_url
    ca = idp.issuer_certificate_authority
    return Trust(
        cluster=cluster,
        stack=stack,
        issuer=issuer,
        client_id=getattr(idp, "client_id", None),  # None: the stack creates the application
        user_claim=settings.user_claim,
        groups_claim=settings.groups_claim,
        username_prefix=config.prefix(name),
        groups_prefix=config.prefix(name),
        scopes=settings.scopes,
        public_client=not settings.requires_client_secret,
        client_secret=None,
        from_outputs=False,
        unknown_reason="" if issuer is not None else _unknown_issuer_reason(config, name, source),
        issuer_ca=None
        if ca is None
        else IssuerCa(ca, f"identity_providers.{name}.certificate_authority_file (or _data)"),
    )


def _issuer(name: str, trust: Trust) -> Issuer:
    assert trust.issuer is not None
    setting = (
        f"the oidc_config.issuer_url output of stack {trust.output_stack}"
        if trust.from_outputs
        else f"identity_providers.{name}.issuer_url"
    )
    return Issuer(
        url=trust.issuer,
        setting=setting,
        from_outputs=trust.from_outputs,
        scopes=trust.scopes,
        user_claim=trust.user_claim,
        groups_claim=trust.groups_claim,
        public_client=trust.public_client,
        issuer_ca=trust.issuer_ca,
    )


def _unknown_issuer_reason(config: Config, name: str, source: OutputsSource | None) -> str:
    if source is not None:
        return f"no outputs in {source.name} (deploy the stack first): its issuer is known only after deploy"
    idp = config.identity_providers[name]
    if isinstance(idp, OktaIdp):
        what = "the issuer of the authorization server k8s-oidc creates is known only after deploy"
    else:
        what = (
            "the issuer names your Entra tenant (https://login.microsoftonline.com/<tenant>/v2.0) and is known "
            f"only after deploy (or set identity_providers.{name}.issuer_url)"
        )
    return f"{what}: {OUTPUTS_HELP}"


# --- the `oidc_config` outputs -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OidcOutput:
    """A pair stack's `oidc_config` output (the contract's model, validated) and its client secret."""

    oidc: OidcConfigOutput
    client_secret: str | None

    def trust(self, cluster: str, stack: str) -> Trust:
        return Trust(
            cluster=cluster,
            stack=stack,
            issuer=self.oidc.issuer_url,
            client_id=self.oidc.client_id,
            user_claim=self.oidc.user_claim,
            groups_claim=self.oidc.groups_claim,
            username_prefix=self.oidc.username_prefix,
            groups_prefix=self.oidc.groups_prefix,
            scopes=tuple(self.oidc.scopes),
            public_client=not self.oidc.requires_client_secret,
            client_secret=self.client_secret,
            from_outputs=True,
            issuer_ca=None
            if self.oidc.certificate_authority_data is None
            else IssuerCa(
                self.oidc.certificate_authority_data,
                f"the oidc_config.certificate_authority_data output of stack {stack}",
            ),
            output_stack=stack,
        )


def read_oidc_outputs(config: Config, source: OutputsSource) -> dict[str, OidcOutput]:
    """{pair stack: its `oidc_config`} from the outputs (`--outputs`: a file or folder), checked against the
    output contract (`constructs_lib.outputs`) as the render step checks it; `UserError` on bad input."""
    raw = read_complete(source)
    problems: list[Problem] = []
    known = set(config.stack_names())
    result: dict[str, OidcOutput] = {}
    for stack, outputs in raw.items():
        if stack not in known:
            problems.append(
                Problem(stack, f"stack is not in the config {config.source} (its stacks: {', '.join(sorted(known))})")
            )
            continue
        if OIDC_CONFIG not in outputs:
            continue  # a cluster or workforce stack: nothing doctor checks
        oidc = validate(OidcConfigOutput, outputs[OIDC_CONFIG], (stack, OIDC_CONFIG), problems, from_yaml=False)
        secret = outputs.get(CLIENT_SECRET)
        if secret is not None and not isinstance(secret, str):
            problems.append(Problem(f"{stack}.{CLIENT_SECRET}", f"expected text, got {describe(secret)}"))
        elif oidc is not None:
            result[stack] = OidcOutput(oidc=oidc, client_secret=secret)
    if problems:
        raise UserError(source.name, problems)
    return result

"""The stack `<idp>-idp` of an IdP with `application: shared` (DESIGN.md contracts 3 and 4): the application
kubelogin signs in with, made once for every cluster of the IdP and named after the IdP (`k8s-oidc <idp>`) —
Okta: the app, its authorization server unless one is reused, the groups claim, the policy and its rule;
Entra ID: the application, its service principal and group assignments. The IdP's pair stacks read its client
id and issuer through cdktf cross-stack references and create nothing at the IdP; this stack outputs the
same `oidc_config` they do."""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from constructs_lib.idp.base import OidcIdentityProvider
from constructs_lib.outputs import OIDC_CONFIG
from stacks.config import Config
from stacks.identity_providers import build_identity_provider, identity_provider_provider
from stacks.pair_stack import with_nulls


class IdpStack(TerraformStack):
    application: OidcIdentityProvider
    """The shared application: the pair stacks of the IdP's clusters take its `oidc_config`."""

    def __init__(self, scope: Construct, stack_name: str, *, config: Config, idp_name: str) -> None:
        super().__init__(scope, stack_name)
        identity_provider_provider(self, config.identity_providers[idp_name].idp_type)
        self.application = build_identity_provider(self, config, idp_name, idp_name)
        TerraformOutput(self, OIDC_CONFIG, value=with_nulls(self.application.oidc_config.as_output()))

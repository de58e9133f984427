"""An `okta` identity provider entry: k8s-oidc creates the app (and an authorization server) in Okta."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from constructs_lib.idp.okta_props import OktaOidcAppProps
from stacks.config.identity_providers.base import ApplicationMakingIdp, Client
from stacks.config.options import option
from stacks.config.value_types import Text


class OktaIdp(ApplicationMakingIdp):
    PROPS: ClassVar[type[OktaOidcAppProps]] = OktaOidcAppProps

    type: Literal["okta"]
    app_label: Text | None = option(OktaOidcAppProps, "app_label")
    authorization_server_id: Text | None = option(OktaOidcAppProps, "authorization_server_id")
    group_filter_regex: Annotated[str, Field(min_length=1, max_length=1024)] = option(
        OktaOidcAppProps, "group_filter_regex"
    )

    def props_values(self, client: Client) -> dict[str, Any]:
        # The config's label names the kubelogin app; the web client keeps its own default so the Okta console
        # tells the two apart.
        return {**super().props_values(client), "app_label": None if client.web else self.app_label}

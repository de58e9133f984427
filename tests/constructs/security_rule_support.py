"""What the tests of the security rules share (one test module per rule, as one rule per module): the stacks
the constructs make, the ways to break them, and the two checks every rule gets."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from idp_synth import synth_idp

from constructs_lib.idp.entra_id import EntraIdOidcApp
from constructs_lib.idp.entra_id_props import EntraIdOidcAppProps
from constructs_lib.idp.google_workspace import GoogleWorkspaceOidcClient
from constructs_lib.idp.google_workspace_props import GoogleWorkspaceOidcClientProps
from constructs_lib.idp.jumpcloud import JumpCloudOidcClient
from constructs_lib.idp.jumpcloud_props import JumpCloudOidcClientProps
from constructs_lib.idp.okta import OktaOidcApp
from constructs_lib.idp.okta_props import OktaOidcAppProps
from constructs_lib.idp.security_rules import Finding, blocks, check_stack
from constructs_lib.oidc import OidcClientType

Rule = Callable[[Mapping[str, Any]], list[Finding]]

Stack = dict[str, Any]


CALLBACK = "https://auth.cloud.google/signin-callback/locations/global/workforcePools/k8s-engineers/providers/p"


WEB: dict[str, Any] = {"client_type": OidcClientType.CONFIDENTIAL_WEB, "redirect_uris": (CALLBACK,)}


def first(stack: Stack, type_: str, kind: str = "resource") -> dict[str, Any]:
    return next(iter(blocks(stack, kind, type_).values()))


def set_in_first(type_: str, key: str, value: object) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        first(stack, type_)[key] = value

    return mutate


def add_output(sensitive: bool | None) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        output: dict[str, Any] = {"value": {"secret": "${var.google_workspace_client_secret}"}}
        if sensitive is not None:
            output["sensitive"] = sensitive
        stack["output"] = {"leak": output}

    return mutate


def drop_from_first(type_: str, key: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        del first(stack, type_)[key]

    return mutate


def rename_to_application_id(stack: Stack) -> None:
    principal = first(stack, "azuread_service_principal")
    principal["application_id"] = principal.pop("client_id")


def unsensitive_variable(stack: Stack) -> None:
    stack["variable"]["google_workspace_client_secret"]["sensitive"] = False


def web_redirect(stack: Stack) -> None:
    first(stack, "azuread_application")["web"]["redirect_uris"] = ["http://localhost:8000/"]


def implicit_id_tokens(stack: Stack) -> None:
    first(stack, "azuread_application")["web"]["implicit_grant"]["id_token_issuance_enabled"] = True


def web_redirect_of_web_app(uri: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        first(stack, "azuread_application")["web"]["redirect_uris"] = [uri]

    return mutate


def add_public_client(stack: Stack) -> None:
    first(stack, "azuread_application")["public_client"] = {"redirect_uris": ["http://localhost:8000"]}


def default_secret(value: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        stack["variable"]["p_workforce_client_secret"]["default"] = value

    return mutate


def secret_variable_without_sensitive(stack: Stack) -> None:
    del stack["variable"]["google_workspace_client_secret"]["sensitive"]


NOT_A_WEB_REDIRECT = [
    "http://k8s.example.com/callback",  # public host, but plain http: the code would travel in the clear
    "https://localhost/callback",
    "https://[::1]/callback",
    "https:///callback",  # no host at all
]


def compliant_stacks() -> dict[str, Stack]:
    """One stack per rule family, as the constructs make them."""
    return {
        "okta": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:"))[1],
        "okta_refresh": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:", refresh_tokens=True))[1],
        "okta_device": synth_idp(
            OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:", refresh_tokens=True, device_code=True)
        )[1],
        "entra": synth_idp(
            EntraIdOidcApp, EntraIdOidcAppProps(name="p", prefix="entra:", security_groups=("k8s-admins",))
        )[1],
        "google": synth_idp(
            GoogleWorkspaceOidcClient,
            GoogleWorkspaceOidcClientProps(name="p", prefix="gws:", client_id="1-a.apps.googleusercontent.com"),
        )[1],
        "okta_web": synth_idp(OktaOidcApp, OktaOidcAppProps(name="p", prefix="okta:", **WEB))[1],
        "entra_web": synth_idp(
            EntraIdOidcApp, EntraIdOidcAppProps(name="p", prefix="entra:", security_groups=("k8s-admins",), **WEB)
        )[1],
        "jumpcloud_web": synth_idp(
            JumpCloudOidcClient, JumpCloudOidcClientProps(name="p", prefix="jc:", client_id="web-id", **WEB)
        )[1],
    }


def assert_passes(rule: Rule, stack: Stack) -> None:
    """`rule`, and the whole pack, find nothing in `stack`."""
    assert rule(stack) == []
    assert check_stack(stack) == []


def assert_reports_only(rule: Rule, stack: Stack, mutate: Callable[[Stack], None], message: str) -> None:
    """`stack` broken by `mutate` gives one finding of `rule`, with `message`; the pack reports the same."""
    broken = copy.deepcopy(stack)
    mutate(broken)
    findings = rule(broken)
    assert [finding.message for finding in findings] == [message]
    assert findings[0].rule == rule.__name__
    assert findings == [finding for finding in check_stack(broken) if finding.rule == rule.__name__]

"""Props of the Okta OIDC application construct (cdktf-free: the config model builds them to validate
`oidc.yaml`, so `validate` and `synth` apply the same rules)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from constructs_lib.idp.base_props import IdentityProviderProps
from constructs_lib.props_error import PropsError, raise_problems
from constructs_lib.tokens import is_unresolved

GROUPS_SCOPE = "groups"
"""The custom scope that releases the groups claim of a created authorization server."""
DEFAULT_GROUP_FILTER_REGEX = ".*"
AUTHORIZATION_CODE = "authorization_code"
_SERVER_ID = re.compile(r"[A-Za-z0-9]{1,64}")


@dataclass(frozen=True, kw_only=True)
class OktaOidcAppProps(IdentityProviderProps):
    app_label: str | None = None
    """Label of the Okta app; default `k8s-oidc <stack>` per pair stack.

    In general `k8s-oidc <name>` (a web client: `k8s-oidc <name> (Google workforce)`); the created
    authorization server and the access policy take the default too."""
    authorization_server_id: str | None = None
    """Reuse this custom authorization server (needs `issuer_url`, its Issuer URI ending in
    `/oauth2/<id>`); default: create one per pair stack.

    Reused, only the app and an access policy (with its rule) admitting it are created; the server must
    already release a groups claim. Created, the server has a `groups` scope and claim for this app."""
    group_filter_regex: str = DEFAULT_GROUP_FILTER_REGEX
    """Only groups whose name matches go into the created server's groups claim; default `.*` (all).

    A reused server keeps its own claim, so only the default is accepted with `authorization_server_id`."""

    def __post_init__(self) -> None:
        server_id = self.authorization_server_id
        server_checks: tuple[Callable[[], None], ...] = (
            (self._check_issuer_needs_a_reused_server, self._check_group_filter_regex, self._check_groups_scope)
            if server_id is None
            else (
                lambda: self._check_server_id(server_id),
                lambda: self._check_issuer_of_the_reused_server(server_id),
                lambda: self._check_default_group_filter(server_id),
            )
        )
        raise_problems(super().__post_init__, self._check_app_label, *server_checks)

    def _check_app_label(self) -> None:
        if self.app_label is not None and not self.app_label.strip():
            raise PropsError(
                "app_label",
                f"app_label must not be empty, got {self.app_label!r}; omit it for {self.default_display_name!r}",
            )

    # A created authorization server (no `authorization_server_id`).

    def _check_issuer_needs_a_reused_server(self) -> None:
        if self.issuer_url is not None:
            raise PropsError(
                "issuer_url",
                f"issuer_url {self.issuer_url!r} needs authorization_server_id: the issuer of the authorization "
                "server this construct creates is only known after apply; set authorization_server_id to reuse "
                "the server with that issuer, or omit issuer_url",
            )

    def _check_group_filter_regex(self) -> None:
        try:
            re.compile(self.group_filter_regex)
        except re.error as error:
            raise PropsError(
                "group_filter_regex",
                f"group_filter_regex {self.group_filter_regex!r} is not a regular expression ({error}); "
                "e.g. 'k8s-.*' for the groups named k8s-…",
            ) from None

    def _check_groups_scope(self) -> None:
        if self.scopes is not None and GROUPS_SCOPE not in self.scopes:
            raise PropsError(
                "scopes",
                f"scopes must include {GROUPS_SCOPE!r}: the created authorization server releases the groups "
                f"claim only for that scope, got {list(self.scopes)}; add {GROUPS_SCOPE!r}",
            )

    # A reused authorization server (`authorization_server_id` set).

    def _check_server_id(self, server_id: str) -> None:
        if not is_unresolved(server_id) and not _SERVER_ID.fullmatch(server_id):
            raise PropsError(
                "authorization_server_id",
                f"authorization_server_id must be the id of an Okta authorization server, letters and digits "
                f"such as 'aus1a2b3c4d5e6f7g8h9', got {server_id!r}",
            )

    def _check_issuer_of_the_reused_server(self, server_id: str) -> None:
        if self.issuer_url is None:
            raise PropsError(
                "issuer_url",
                f"issuer_url required with authorization_server_id {server_id!r}: copy the server's Issuer URI "
                f"(ending in /oauth2/{server_id}) from Security > API > Authorization Servers in the Okta "
                "console (Okta's data source finds servers by name only)",
            )
        # Only against a well-formed id: a malformed one is the id check's to report.
        well_formed = is_unresolved(server_id) or _SERVER_ID.fullmatch(server_id)
        if well_formed and not is_unresolved(self.issuer_url) and not self.issuer_url.endswith(f"/oauth2/{server_id}"):
            raise PropsError(
                "issuer_url",
                f"issuer_url {self.issuer_url!r} must end in /oauth2/{server_id} (the Issuer URI of the reused "
                "authorization server, without a trailing slash)",
            )

    def _check_default_group_filter(self, server_id: str) -> None:
        if self.group_filter_regex != DEFAULT_GROUP_FILTER_REGEX:
            raise PropsError(
                "group_filter_regex",
                f"group_filter_regex {self.group_filter_regex!r} applies only to an authorization server this "
                f"construct creates; the reused server {server_id!r} filters groups with its "
                "own groups claim: edit that claim in the Okta console, or omit authorization_server_id",
            )

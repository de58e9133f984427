"""Props of the Entra ID app registration construct (cdktf-free)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib.idp.base_props import IdentityProviderProps, refuse_repeats
from constructs_lib.props_error import PropsError, raise_problems


@dataclass(frozen=True, kw_only=True)
class EntraIdOidcAppProps(IdentityProviderProps):
    display_name: str | None = None
    """App registration name; default `k8s-oidc <name>` (a web client: `k8s-oidc <name> (Google workforce)`)."""
    security_groups: tuple[str, ...] = ()
    """Display names of the groups assigned to the app; only their members can sign in. Default: none.

    Assignment is required, so with none nobody can sign in until groups are assigned in the portal;
    their names are what the `groups` claim carries."""

    def __post_init__(self) -> None:
        raise_problems(
            self._check_device_code_unavailable,
            super().__post_init__,
            self._check_display_name,
            self._check_security_groups,
        )

    def _check_device_code_unavailable(self) -> None:
        if self.device_code:
            raise PropsError(
                "device_code",
                "device_code is not available for Entra ID: its device code flow needs the app's \"Allow public "
                'client flows" (fallback_public_client_enabled), which also lets anyone holding a password sign '
                "in with the password grant (ROPC), bypassing the browser and with it MFA and Conditional "
                "Access prompts; leave it false (engineers on remote shells forward kubelogin's ports over SSH)",
            )

    def _check_display_name(self) -> None:
        if self.display_name is not None and not self.display_name.strip():
            raise PropsError(
                "display_name",
                f"display_name must not be empty, got {self.display_name!r}; omit it for {self.default_display_name!r}",
            )

    def _check_security_groups(self) -> None:
        for group in self.security_groups:
            if not group.strip():
                raise PropsError(
                    "security_groups",
                    f"security_groups: {group!r} is not a group display name; give each group's display name "
                    "as shown in the Entra admin center",
                )
        refuse_repeats("security_groups", self.security_groups)

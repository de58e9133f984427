"""Helpers shared by the IdP construct tests: synthesise one construct, resolve its `OidcConfig`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import cdktf
from constructs import Construct
from synth_support import new_stack, synth_json

from constructs_lib.idp.base_props import IdentityProviderProps
from constructs_lib.idp.security_rules import blocks

IdpT = TypeVar("IdpT", bound=Construct)


def synth_idp(construct: Callable[..., IdpT], props: IdentityProviderProps) -> tuple[IdpT, dict[str, Any]]:
    """The construct built alone in a fresh stack, and that stack's Terraform JSON."""
    stack = new_stack()
    idp = construct(stack, "idp", props=props)
    return idp, synth_json(stack)


def resolve(scope: Construct, value: object) -> Any:
    """`value` with its tokens replaced by the Terraform expressions they synthesise to."""
    resolver = cdktf.DefaultTokenResolver(cdktf.StringConcat())
    return cdktf.Tokenization.resolve(value, scope=cdktf.TerraformStack.of(scope), resolver=resolver)


def resolved_oidc_config(idp: Any) -> dict[str, Any]:
    """The `oidc_config` output of an IdP construct, tokens resolved."""
    return resolve(idp, idp.oidc_config.as_output())  # type: ignore[no-any-return]


def ref(stack: dict[str, Any], type_: str, attribute: str, kind: str = "resource") -> str:
    """`${type.name.attribute}` of the one block of `type_` in the stack."""
    (name,) = blocks(stack, kind, type_)
    prefix = "data." if kind == "data" else ""
    return f"${{{prefix}{type_}.{name}.{attribute}}}"


def only(stack: dict[str, Any], type_: str, kind: str = "resource") -> dict[str, Any]:
    """The body of the one block of `type_`, without cdktf's metadata."""
    (body,) = blocks(stack, kind, type_).values()
    return {key: value for key, value in body.items() if key != "//"}

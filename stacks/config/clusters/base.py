"""What every cluster entry answers, whatever its kind, and what the cloud kinds (EKS, GKE) share: an
existing cluster found by name, or one the config creates.

The rules on a cluster's values live in its construct's props (`constructs_lib/cluster/*_props.py`), and so do
the defaults and descriptions of a created cluster's options (`stacks.config.options`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import AfterValidator, Field, model_validator

from constructs_lib.cluster.kubernetes_cluster import KubernetesCluster
from constructs_lib.oidc import OidcConfig
from stacks.config.cluster_kinds import CLUSTER_KINDS, ClusterKind, ClusterKindFacts
from stacks.config.identity_providers.base import IdentityProviderBase
from stacks.config.strict_model import StrictModel
from stacks.config.value_types import Name, unique
from stacks.errors import Problem


class ClusterEntry(StrictModel):
    """The answers of every cluster entry; the defaults suit a kind with nothing to create. No fields: each
    kind declares its own, in the order its config reference shows them."""

    @property
    def kind(self) -> ClusterKind:
        raise NotImplementedError

    @property
    def facts(self) -> ClusterKindFacts:
        return CLUSTER_KINDS[self.kind]

    @property
    def created(self) -> bool:
        """The config creates the cluster (in its own stack `<cluster>-cluster`)."""
        return False

    def props(self, name: str) -> object | None:
        """The props of the construct that creates or reads the cluster `name`, built to apply their rules;
        None when the entry checks its values itself."""
        return None

    def props_keys(self) -> Mapping[str, str]:
        """The config key of each props field that isn't the entry's key of the same name."""
        return {}

    def trust_props(self, cluster: KubernetesCluster, oidc_config: OidcConfig, idp_name: str) -> object | None:
        """The props of what a pair stack creates for `cluster` (this entry's) to trust the tokens of IdP
        `idp_name` (`oidc_config`), built to apply their rules; None when the pair stack creates nothing for it
        (the render step writes the files its admins apply, or Google trusts the IdP)."""
        return None

    def identity_provider_refusal(self, idp_name: str, idp: IdentityProviderBase) -> str | None:
        """Why a cluster of this kind can't trust IdP `idp_name` as configured (a rule of the kind that no props
        own), or None."""
        return None

    @property
    def deprecation(self) -> Problem | None:
        """Why the way this cluster is set up is ending, at its key relative to the entry; None when it isn't."""
        return None

    @property
    def certificate_authority_warning(self) -> Problem | None:
        """What of a CA the entry gives was left out, at its key relative to the entry; None: nothing was."""
        return None


class CreateOptions(StrictModel):
    """The options of a cluster the config creates: fields of the cluster construct's props, the same by name."""

    PROPS: ClassVar[type[object]]


class ClusterBase(ClusterEntry):
    """A cloud cluster: an existing one (`cluster_name`) or one the config creates (`create`)."""

    if TYPE_CHECKING:
        cluster_name: str | None
        create: CreateOptions | None

    identity_providers: Annotated[list[Name], Field(min_length=1), AfterValidator(unique)]
    """The identity providers this cluster trusts (names under `identity_providers`)."""

    @model_validator(mode="after")
    def _existing_xor_created(self) -> ClusterBase:
        if (self.cluster_name is not None) == (self.create is not None):
            raise ValueError("give exactly one of `cluster_name` (an existing cluster) or `create` (make a new one)")
        return self

    @property
    def created(self) -> bool:
        return self.create is not None

    def props(self, name: str) -> object:
        return self.created_props(name) if self.created else self.existing_props()

    def created_props(self, name: str) -> object:
        """The props of the cluster the config creates, named after its config key `name`."""
        raise NotImplementedError

    def existing_props(self) -> object:
        """The props that find the existing cluster `cluster_name`."""
        raise NotImplementedError

    def props_keys(self) -> Mapping[str, str]:
        # A created cluster takes its options from `create:` and its name from the entry's key.
        if self.create is None:
            return {}
        return {"cluster_name": "", **{option: f"create.{option}" for option in type(self.create).model_fields}}

"""`application: per_cluster | shared` (DESIGN.md contract 3, "Shared applications"): which IdP types take it,
the stacks `<idp>-idp` a shared application makes, the pair stacks that depend on them, and the stack names
they must not take from others; `defaults.support`."""

from __future__ import annotations

import copy
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from config_support import MINIMAL, load, mutated, problems_of

from stacks.config import Application, IdentityProviderConfig, StackKind, load_config

FIXTURE = Path(__file__).parents[2] / "fixtures" / "shared_applications.yaml"

MADE_BY_HAND = (
    "clients are made by hand in the IdP's console (`client_id`), and every cluster of this IdP already trusts "
    "that one client: they are shared already; remove `application` (it chooses between an application per "
    "cluster and one shared application where k8s-oidc makes the applications: okta, entra_id)"
)


def test_per_cluster_is_the_default_and_makes_no_application_stack() -> None:
    config = load(MINIMAL)
    assert config.identity_providers["okta-main"].application is Application.PER_CLUSTER
    assert config.identity_providers["entra"].application is Application.PER_CLUSTER
    assert config.application_stacks() == {}
    assert not any(stack.endswith("-idp") for stack in config.stack_names())


@pytest.mark.parametrize("idp", ["okta-main", "entra"])
def test_shared_makes_one_stack_named_after_the_idp(idp: str) -> None:
    config = load(mutated(f"identity_providers.{idp}.application", "shared"))
    assert config.application_stacks() == {f"{idp}-idp": idp}
    assert config.identity_providers[idp].shared_application


@pytest.mark.parametrize(("idp", "type_name"), [("gws", "google_workspace"), ("jc", "jumpcloud")])
@pytest.mark.parametrize("value", ["shared", "per_cluster"])
def test_a_type_whose_client_is_made_by_hand_refuses_application(idp: str, type_name: str, value: str) -> None:
    assert problems_of(mutated(f"identity_providers.{idp}.application", value)) == {
        f"identity_providers.{idp}.application": f"{type_name} {MADE_BY_HAND}"
    }


def test_an_unknown_application_is_refused_with_the_choices() -> None:
    assert problems_of(mutated("identity_providers.okta-main.application", "global")) == {
        "identity_providers.okta-main.application": "must be one of 'per_cluster', 'shared'; got the text 'global'"
    }


def test_the_fixture_orders_and_links_the_stacks() -> None:
    config = load_config(FIXTURE)
    assert config.application_stacks() == {"okta-fleet-idp": "okta-fleet", "entra-fleet-idp": "entra-fleet"}
    names = config.stack_names()
    assert names[:3] == ["workforce-pool", "okta-fleet-idp", "entra-fleet-idp"]
    depends_on = {spec.name: spec.depends_on for spec in config.stacks()}
    assert depends_on == {
        "prod-jc": (),
        # The EKS chain keeps its order, each pair also after its shared application.
        "prod-okta-fleet": ("okta-fleet-idp", "prod-jc"),
        "prod-entra-fleet": ("entra-fleet-idp", "prod-okta-fleet"),
        "stage-cluster": (),
        "stage-okta-fleet": ("stage-cluster", "okta-fleet-idp"),
        "stage-okta-solo": ("stage-cluster", "stage-okta-fleet"),
        "data-okta-fleet": ("okta-fleet-idp",),
        "data-entra-fleet": ("entra-fleet-idp",),
        "onprem-entra-fleet": ("entra-fleet-idp",),
        "onprem-okta-fleet": ("okta-fleet-idp",),
        "onprem-jc": (),
        # gcloud signs in through the workforce pool's own web client: the shared application isn't used.
        "fed-okta-fleet": ("workforce-pool",),
    }
    assert config.clusters_of_application("okta-fleet") == ["prod", "stage", "data", "onprem"]
    assert config.clusters_of_application("entra-fleet") == ["prod", "data", "onprem"]
    assert config.clusters_of_application("okta-solo") == []
    assert all(spec.kind is not StackKind.IDP for spec in config.stacks())


def test_an_idp_used_only_by_workforce_clusters_makes_no_application_stack() -> None:
    document = yaml_fixture()
    document["clusters"] = {"fed": document["clusters"]["fed"]}
    document["access"] = []
    config = load(document)
    assert config.application_stacks() == {}
    assert config.stack_names() == ["workforce-pool", "fed-okta-fleet"]


def test_an_application_stack_name_taken_by_a_pair_stack_is_refused_naming_both() -> None:
    """IdP `okta` (shared) makes `okta-idp`; so does the pair of cluster `okta` and IdP `idp`."""
    document = copy.deepcopy(MINIMAL)
    document["identity_providers"]["okta"] = {"type": "okta", "application": "shared"}
    document["identity_providers"]["idp"] = {"type": "jumpcloud", "client_id": "x"}
    document["clusters"]["okta"] = {**document["clusters"]["prod"], "identity_providers": ["idp"]}
    document["clusters"]["prod"]["identity_providers"] = ["okta-main", "okta"]
    assert problems_of(document) == {
        "clusters.okta.identity_providers (idp)": "stack name 'okta-idp' is also made by "
        "identity_providers.okta.application (shared: the stack of its application); rename a cluster or IdP"
    }
    # Per cluster, the IdP makes no such stack: the same names are fine.
    document["identity_providers"]["okta"]["application"] = "per_cluster"
    assert "okta-idp" in load(document).stack_names()


def test_support_is_optional_one_line_text() -> None:
    assert load(MINIMAL).defaults.support is None
    assert load(mutated("defaults", {"support": "#k8s-access on Slack"})).defaults.support == "#k8s-access on Slack"
    assert problems_of(mutated("defaults", {"support": "ask\nme"})) == {
        "defaults.support": "must be one line of printable text, without tabs or control characters; got 'ask\\nme'"
    }
    assert problems_of(mutated("defaults", {"support": "#k8s \u202eevil"})) == {
        "defaults.support": "must not hold bidirectional controls (U+202A–U+202E, U+2066–U+2069), which make text "
        "read otherwise than it is; found U+202E at index 5 of '#k8s \\u202eevil'"
    }


def yaml_fixture() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    # Relative to the fixture's folder, as load_config reads it.
    onprem = document["clusters"]["onprem"]
    onprem["certificate_authority_file"] = str(FIXTURE.parent / onprem["certificate_authority_file"])
    return document


def test_only_the_types_whose_applications_k8s_oidc_makes_take_application() -> None:
    """A type joins the union refusing `application` unless it says it makes its applications: a new type
    whose client is made by hand (`oidc`) refuses it with the same message, naming itself."""
    models = typing.get_args(typing.get_args(IdentityProviderConfig)[0])
    makers = {model.model_fields["type"].annotation.__args__[0] for model in models if model.MAKES_APPLICATIONS}
    assert makers == {"okta", "entra_id"}
    for model in models:
        field = model.model_fields["application"]
        if model.MAKES_APPLICATIONS:
            assert field.default is Application.PER_CLUSTER
        else:
            assert field.json_schema_extra == {"not": {}}

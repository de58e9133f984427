"""The bundled example synthesises into the stacks and outputs of contract 4."""

from __future__ import annotations

from constructs_lib.outputs import CLIENT_SECRET, CLUSTER, OIDC_CONFIG, ClusterOutput, OidcConfigOutput

EXPECTED_STACKS = {
    "prod-okta-main",
    "demo-cluster",
    "demo-entra",
    "data-gws",
    "data-jc",
    "lab-cluster",
    "lab-okta-main",
}


def test_one_stack_per_pair_and_per_created_cluster(example_synth: dict[str, dict[str, object]]) -> None:
    assert set(example_synth) == EXPECTED_STACKS


def test_every_pair_stack_has_the_contract_outputs(example_synth: dict[str, dict[str, object]]) -> None:
    for name, stack in example_synth.items():
        outputs = stack["output"]
        assert isinstance(outputs, dict)
        if name.endswith("-cluster"):
            continue
        assert {OIDC_CONFIG, CLUSTER} <= set(outputs), name
        oidc = outputs[OIDC_CONFIG]["value"]
        assert set(oidc) == set(OidcConfigOutput.required_fields()), name
        assert oidc["pkce_method"] == "S256"
        assert set(outputs[CLUSTER]["value"]) == set(ClusterOutput.model_fields)
        assert (CLIENT_SECRET in outputs) == oidc["requires_client_secret"], name

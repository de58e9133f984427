"""How a UserError reads on stderr: the file, then each key path and what is wrong."""

from __future__ import annotations

from stacks.errors import Problem, UserError


def test_one_problem_on_one_line() -> None:
    error = UserError("oidc.yaml", [Problem("clusters.prod.region", "should match pattern")])
    assert error.render() == "error: oidc.yaml: clusters.prod.region: should match pattern"


def test_many_problems_counted_and_listed() -> None:
    error = UserError("outputs.json", [Problem("prod-jc.cluster", "missing"), Problem("", "not JSON")])
    assert error.render() == "error: outputs.json: 2 problems:\n  - prod-jc.cluster: missing\n  - not JSON"
    assert str(error) == error.render()

"""`python -m k8s_oidc …`: the same as the `k8s-oidc` console script."""

from k8s_oidc.cli import run

run()

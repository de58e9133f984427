"""k8s-oidc: one YAML file → one Terraform stack per (cluster × identity provider), the render step and
doctor. The command line lives in `k8s_oidc.cli` (installed as the `k8s-oidc` console script;
`python main.py` in a checkout and `python -m k8s_oidc` run the same)."""

__version__ = "0.3.0"
"""The one source of the version: pyproject.toml reads it, `k8s-oidc --version` prints it."""

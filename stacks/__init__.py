"""Config model, stack plan and stack assembly: the only package that knows about `oidc.yaml`."""

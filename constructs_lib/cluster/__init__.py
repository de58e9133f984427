"""Cluster constructs: create or reference a cluster, and make it trust an issuer."""

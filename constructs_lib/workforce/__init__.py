"""Google Workforce Identity Federation: the pool, one OIDC provider per IdP, and cluster access."""

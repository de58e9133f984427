"""Identity-provider constructs: one module per IdP."""

"""What each cluster kind puts in the stacks, one module per kind (the table: `stacks.cluster_kinds`)."""

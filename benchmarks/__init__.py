"""`make bench`: performance measured side by side with the baseline."""

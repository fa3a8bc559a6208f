"""Golden sets, runs, metrics, comparisons and reports for relevance work."""

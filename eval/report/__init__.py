"""results.json, threshold checks and the self-contained HTML report."""

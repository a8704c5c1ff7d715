"""Policy search: which mix of policies, for which budget, and under which conditions it fails."""

"""Policy search: which mix of interventions, for a budget, robust to what is unknown."""

"""The validation experiments: the model against published results.

1. ``short2008``: Short et al. (2008), the four Figure 3 parameter sets.
2. ``stylised_facts``: crime concentration, near-repeat burglary and the journey to
   crime on the baseline city.
3. ``dose_response``: street-lighting coverage, police numbers and youth-programme
   coverage, each a sweep with its curve.

Run them with ``.venv/bin/python -m experiments.validation``; each writes a Markdown
report with its PNG figures to docs/validation/.
"""

#: The experiments, in the order the command runs them (module names).
EXPERIMENTS = ("short2008", "stylised_facts", "dose_response")

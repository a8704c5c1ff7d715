# crimesim: every target sets up .venv first (idempotent), so a fresh clone needs only
# `make run` or `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DAYS   ?= 365
SEED   ?= 1
REPS   ?= 5
# Alternatives for `make run`: every scenario file; `compare --only-interventions`
# keeps those with interventions, so new intervention scenarios join automatically.
ALTS   ?= scenarios/*.toml
OUT    ?= out/compare

.PHONY: setup run baseline dashboard sweep search test bench lint clean clean-cache pin-results

setup: $(STAMP)

$(STAMP): pyproject.toml
	@set -e; if [ ! -x "$(PY)" ]; then \
		py=$$(bash .ci/find_python.sh) || exit 1; \
		echo "creating $(VENV) with $$py"; \
		"$$py" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --quiet -e '.[dev]'
	@touch $(STAMP)

# The baseline city against every intervention scenario: REPS paired replications of
# DAYS days each (about 3.5 min on 2 cores for 10 intervention scenarios), then the
# decision brief report.html with its quick sensitivity check (384 runs of 50 days, ~4 min).
run: setup
	$(VENV)/bin/crimesim compare scenarios/baseline.toml $(ALTS) --only-interventions \
		--reps $(REPS) --days $(DAYS) --seed $(SEED) --out $(OUT) --report
	@echo
	@echo "The decision brief: $(OUT)/report.html (one file, opens offline in any browser;"
	@echo "$(OUT)/report.pdf next to it when Chromium is installed)."
	@echo "Figures: $(OUT)/effects.png (effects by group) and $(OUT)/change_map_*.png"
	@echo "(where crime fell and moved); every figure with its CI: $(OUT)/comparison.csv."
	@echo "Open the PNGs in any image viewer. To explore one city live in the browser"
	@echo "(offline): $(VENV)/bin/crimesim dashboard, then open http://127.0.0.1:8765/"

# One year of the baseline city alone: crimes, victimisation by group, justice figures.
baseline: setup
	$(VENV)/bin/crimesim run scenarios/baseline.toml --days $(DAYS) --seed $(SEED) --out out/baseline

# The browser app (offline): Explore, Compare, Learn, About at http://127.0.0.1:8765/
dashboard: setup
	$(VENV)/bin/crimesim dashboard

# A small parameter sweep on a local Dask cluster, then its analysis (under a minute on
# 2 cores); rerunning finishes or reuses what is stored (--resume).
sweep: setup
	$(VENV)/bin/crimesim sweep experiments/quick_sweep.toml --workers 2 --out out/quick_sweep --resume
	$(VENV)/bin/crimesim analyze out/quick_sweep

# The council's question (docs/search.md): 2 million EUR a year between five interventions,
# robust to four uncertain parameters; about 9 minutes on 2 cores. Run again to continue.
search: setup
	$(VENV)/bin/crimesim search experiments/budget_search.toml --workers 2 --out out/search \
		$$(test -f out/search/study.log && echo --resume)

test: setup
	$(PY) -m pytest -q

# Every benchmark, each a table plus JSON in out/ (about 8 minutes on 2 cores):
# the engine (baseline year, 10x city), 1. against the plain-Mesa reference,
# 2. Epstein's model against Mesa's example, 3. scaling to 10^6 agents, and sweeps
# on a local Dask cluster (parallel efficiency, worker start-up).
bench: setup
	$(VENV)/bin/crimesim bench
	$(VENV)/bin/crimesim bench --reference
	$(VENV)/bin/crimesim bench --epstein
	$(VENV)/bin/crimesim bench --scaling
	$(VENV)/bin/crimesim bench --sweep

# Style (ruff) and the package's layers (import-linter's contract in pyproject.toml:
# a module imports only from its own layer or lower ones).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache

# numba only checks a cached kernel's own file for changes: clear after editing kernels.
clean-cache:
	find sim -name '*.nbi' -delete -o -name '*.nbc' -delete

# Rewrite tests/regression/pinned_results.json from the current code. Deliberate only:
# the commit that changes the file must say why results moved (see the file's note).
pin-results: setup
	$(PY) tests/regression/pin_results.py

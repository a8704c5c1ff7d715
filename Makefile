# crimesim: every target sets up .venv first (idempotent), so a fresh clone needs only
# `make run` or `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DAYS   ?= 365
SEED   ?= 1

.PHONY: setup run test bench lint clean clean-cache

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

run: setup
	$(VENV)/bin/crimesim run scenarios/baseline.toml --days $(DAYS) --seed $(SEED) --out out/baseline

test: setup
	$(PY) -m pytest -q

bench: setup
	$(VENV)/bin/crimesim bench

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache

# numba only checks a cached kernel's own file for changes: clear after editing kernels.
clean-cache:
	find sim -name '*.nbi' -delete -o -name '*.nbc' -delete

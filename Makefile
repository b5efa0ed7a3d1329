# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make run    installs into .venv and runs the default comparison
#   make test   installs with test extras and runs the whole test suite
#   make lint   ruff (format and rules) over src, tests and benchmarks; mypy on the lower layers
#   make app    serves the workshop what-if app on localhost (PORT=8501, RESULTS=presets dir)
#   make bench  measures speed, scaling, parallel efficiency and memory against their targets
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WORKERS ?= 2

.PHONY: install run test test-fast lint bench check-install clean app

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint,app,animate]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

DEFAULT_COMPARISON := scenarios/base.yaml $(addprefix scenarios/interventions/,\
	kr1_trauma_informed_training.yaml kr5_care_coordinator.yaml kr5_hub.yaml whole_system.yaml)
REPS ?= 10

# The default comparison: the base and four Theory of Change levers on common random
# numbers, then the workshop report (its path is the last line printed).
run: $(STAMP)
	$(BIN)/pathway-sim compare $(DEFAULT_COMPARISON) --reps $(REPS) --workers $(WORKERS) \
		--out results/default_comparison

PORT ?= 8501
# The workshop what-if app; RESULTS=DIR loads presets written by `pathway-sim precompute`.
app: $(STAMP)
	$(BIN)/pathway-sim app --port $(PORT) $(if $(RESULTS),--results $(RESULTS))

test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) -q

# Every performance figure against its target (issue 8); BENCH_QUICK=1 only checks the harness.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench

LINTED := src tests benchmarks
TYPED := $(addprefix src/pathway_sim/,core engine models runs uncertainty)
lint: $(STAMP)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy $(TYPED)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "not slow"

# A normal install in a fresh venv outside the repository runs library scenarios by name.
check-install:
	bash scripts/check-install

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis

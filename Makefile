# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make run    installs into .venv and runs the default comparison
#   make test   installs with test extras and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WORKERS ?= 2

.PHONY: install run test test-fast bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/pathway-sim run scenarios/verification/mmc.yaml --out results/mmc

test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "not slow"

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis

# storyscope: `make example` runs the example story, `make test` runs the test suite.
# Both create .venv on first use and install from pyproject.toml + constraints.txt (repeatable, offline-safe).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
REPORT ?= storyscope-report.html

.PHONY: install example test lint typecheck eval bench clean constraints

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade 'pip>=25.1'
	$(BIN)/python -m pip install -q -c constraints.txt -e . --group dev
	touch $@

example: install
	$(BIN)/storyscope compare --example -o $(REPORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests eval bench

typecheck: install
	$(BIN)/mypy

eval: install
	$(BIN)/python -m pytest eval -v

bench: install
	$(BIN)/python bench/bench_compare.py

constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^storyscope' > constraints.txt

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache $(REPORT)

# hypo_contracts: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,sklearn,mlflow,skops]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hypo-contracts demo

lint: $(STAMP)
	$(BIN)/ruff check hypo_contracts tests benchmarks examples conftest.py
	$(BIN)/ruff format --check hypo_contracts tests benchmarks examples conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy hypo_contracts

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py
	$(BIN)/python benchmarks/bench_shrink.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

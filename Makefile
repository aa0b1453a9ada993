# hypo_contracts: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench clean test-pythons

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,sklearn,mlflow,skops,odcs,frictionless,polars,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hypo-contracts demo

lint: $(STAMP)
	$(BIN)/ruff check hypo_contracts tests benchmarks examples conftest.py
	$(BIN)/ruff format --check hypo_contracts tests benchmarks examples conftest.py
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy hypo_contracts

# pytest-xdist: one worker per core (CI has 2); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
pytest: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal

test: lint typecheck pytest

# The fast suite on every other interpreter pyenv has (one venv each, .venv-3.X); a version
# that is not installed is skipped with a line saying so. .ci/run runs it for 3.10 and 3.13.
TEST_PYTHON_VERSIONS ?= 3.10 3.12 3.13
test-pythons:
	@for v in $(TEST_PYTHON_VERSIONS); do \
	  py=$$(ls -d /root/.pyenv/versions/$$v.*/bin/python 2>/dev/null | sort -V | tail -n 1); \
	  if [ -z "$$py" ]; then echo "test-pythons: no Python $$v on this machine, skipped"; continue; fi; \
	  echo "test-pythons: $$($$py --version) ($$py)"; \
	  [ -x .venv-$$v/bin/python ] || $$py -m venv .venv-$$v || exit 1; \
	  .venv-$$v/bin/python -m pip install --quiet --upgrade pip || exit 1; \
	  .venv-$$v/bin/python -m pip install --quiet -e '.[dev,sklearn,mlflow,skops,odcs,frictionless,polars,dask]' || exit 1; \
	  .venv-$$v/bin/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal -m "not slow" || exit 1; \
	done

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py
	$(BIN)/python benchmarks/bench_shrink.py
	$(BIN)/python benchmarks/bench_engines.py

clean:
	rm -rf $(VENV) .venv-3.* .mypy_cache .ruff_cache

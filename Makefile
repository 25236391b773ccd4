# wire: `make demo` and `make test` are the two commands a new user needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
DB     ?= warehouse.duckdb

.PHONY: install demo test lint typecheck eval bench reliability train clean

$(BIN)/wire: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(BIN)/wire

install: $(BIN)/wire

demo: install
	$(BIN)/wire backfill seeds --db $(DB)

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

eval: install
	$(BIN)/python -m eval.run --shared $(SHARED)

bench: install
	$(BIN)/python -m bench.run --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

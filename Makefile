# wire: `make demo` and `make test` are the two commands a new user needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
DB     ?= warehouse.duckdb

.PHONY: install demo test lint typecheck eval bench bench-queries reliability train train-ranker train-misc-labels readme clean

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
	$(BIN)/python -m pytest -q -m "not (reliability and slow)"

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

# Dev and validation figures side by side (eval/splits.py): tune on dev, never read validation errors.
eval: install
	$(BIN)/python -m eval.polnear --split dev+validation
	$(BIN)/python -m eval.newsquant $(SHARED)/corpora/newsquant/dev.json --split tune+validation
	$(BIN)/python -m eval.conll --shared $(SHARED) --validation
	$(BIN)/python -m eval.bbc_dedup --corpus $(SHARED)/corpora/bbc

bench: install
	$(BIN)/python -m bench.run --shared $(SHARED)
	$(BIN)/python -m bench.run --shared $(SHARED) --short
	$(BIN)/python -m bench.queries --items 1000000

bench-queries: install
	$(BIN)/python -m bench.queries --items 1000000

train: install
	$(BIN)/python -m extractors.training.train_ner --shared $(SHARED)

# The NORP/ORG labels of MISC names, distilled from the base model's ner (extractors/ner/misc_labels.py).
train-misc-labels: install
	$(BIN)/python -m extractors.training.mine_misc_labels --shared $(SHARED)

train-ranker: install
	$(BIN)/python -m extractors.training.train_speaker_ranker --shared $(SHARED)

reliability: install
	$(BIN)/python -m bench.reliability

readme: install
	test -f $(DB) || $(MAKE) demo
	$(BIN)/python docs/render_readme.py --db $(DB)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

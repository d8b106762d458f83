# Two commands for a fresh machine with Python 3.11 and make:  `make data`, then `make test`.
# Every dependency comes from a hash-pinned lock file; nothing is taken from the machine's site-packages.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
CFFENV := .venv-cff
PIP_FLAGS := --disable-pip-version-check --no-input --quiet

.PHONY: data test test-slow lint figures release bench lock serve clean bytecode

# The project environment: re-created whenever the lock file or pyproject.toml changes.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	touch $@

# cffconvert 2.0.0 pins jsonschema<4 (frictionless needs >=4.20): it gets a tool environment of its own.
$(CFFENV)/.installed: requirements-cff.lock
	$(PYTHON) -m venv $(CFFENV)
	$(CFFENV)/bin/python -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements-cff.lock
	touch $@

# The package's bytecode, as a wheel install writes it: an editable install leaves it to the first import, and
# an environment with PYTHONDONTWRITEBYTECODE set compiles every module again in every interpreter (~0.2 s a
# start: builds, the fork server, the tests' subprocesses). Only changed files are compiled again.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q src

## Build the whole data package (tables, charts, datapackage.json, CITATION.cff, codebook).
data: $(VENV)/.installed bytecode
	MPLCONFIGDIR=$(CURDIR)/.cache/matplotlib $(BIN)/dataset build

## Charts (SVG + PNG in figures/), drawn from the published Parquet alone.
figures: $(VENV)/.installed
	MPLCONFIGDIR=$(CURDIR)/.cache/matplotlib $(BIN)/python -m dataset.charts --package datapackage.json --out-dir figures

## Release archive, wheel and sdist in dist/, byte-reproducible (PREVIOUS=last.zip when dist/ lacks the last release), then verified.
release: data
	$(BIN)/dataset release --wheel $(if $(PREVIOUS),--previous $(PREVIOUS))
	$(BIN)/dataset verify dist/$$($(BIN)/python -c "import json; d = json.load(open('datapackage.json')); print(f\"{d['name']}-{d['version']}.zip\")")

## Browse the package in Datasette on http://127.0.0.1:8001 (the exported SQLite database, its metadata and
## the evidence plugin that highlights a quote inside its paragraph). PORT=... to change the port.
PORT ?= 8001
serve: $(VENV)/.installed
	$(BIN)/datasette serve -i exports/cryptophone-takedowns.db --metadata exports/datasette-metadata.json \
	  --plugins-dir exports/datasette-plugins --host 127.0.0.1 --port $(PORT)

# quantulum3 (the baseline of `make bench`) gets its own environment: it never enters requirements.lock.
BENCHENV := .venv-bench
$(BENCHENV)/.installed: benchmarks/requirements-bench.lock
	$(PYTHON) -m venv $(BENCHENV)
	$(BENCHENV)/bin/python -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r benchmarks/requirements-bench.lock
	touch $@

## Benchmarks (~8 min on 2 cores): writes benchmarks/RESULTS.md; never part of `make test`.
bench: $(VENV)/.installed $(BENCHENV)/.installed bytecode
	MPLCONFIGDIR=$(CURDIR)/.cache/matplotlib $(BIN)/python benchmarks/run.py --quantulum-python $(BENCHENV)/bin/python

## Run the test suite: lint, CITATION.cff through the CFF project's own validator, then pytest without the slow group.
test: $(VENV)/.installed $(CFFENV)/.installed bytecode
	$(BIN)/ruff check src tests benchmarks
	$(CFFENV)/bin/cffconvert --validate --infile CITATION.cff
	MPLCONFIGDIR=$(CURDIR)/.cache/matplotlib $(BIN)/python -m pytest -m "not slow"

## The slow group (the tests marked `slow`: contracts across processes, builds and releases, generated corpora); CI runs it after `make test`.
test-slow: $(VENV)/.installed bytecode
	MPLCONFIGDIR=$(CURDIR)/.cache/matplotlib $(BIN)/python -m pytest -m slow

## Re-resolve the lock files (needs uv; maintainers only, never part of data or test).
lock:
	uv pip compile pyproject.toml requirements-build.in --extra test --extra serve --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock
	uv pip compile requirements-cff.in --generate-hashes --python-version 3.11 -o requirements-cff.lock
	uv pip compile benchmarks/requirements-bench.in --generate-hashes --python-version 3.11 -o benchmarks/requirements-bench.lock

clean:
	rm -rf $(VENV) $(CFFENV) .venv-bench .cache .pytest_cache .ruff_cache

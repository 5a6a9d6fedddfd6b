# The front door. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lab bench lint venv install browser-deps labext pg-start pg-stop test-python test-browser clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)

venv: $(BIN)/activate

## install: the package (editable), its test tools and the lab extension
install: venv
	$(BIN)/pip install -q -e ".[test,bench]"

demo: install
	$(PYTHON) -m nbjournal.demo example_notebooks/01_quickstart.ipynb

test: install
	$(BIN)/pytest

lab: install
	$(BIN)/jupyter lab --notebook-dir=example_notebooks

bench: install
	$(PYTHON) -m benchmarks

lint: install
	$(BIN)/ruff check nbjournal tests benchmarks
	$(BIN)/ruff format --check nbjournal tests benchmarks

## pg-start: a throw-away PostgreSQL on 127.0.0.1 (data in .pg/); prints its URL, or nothing when unavailable
pg-start:
	@scripts/pg.sh start

## pg-stop: stop that PostgreSQL (fast shutdown)
pg-stop:
	@scripts/pg.sh stop

clean:
	rm -rf $(VENV) nbjournal/labextension labextension/node_modules labextension/lib

# The front door. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lab bench lint venv install install-test browser-deps labext unlink-labext labext-test pg-start pg-stop clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)

venv: $(BIN)/activate

## install: the package (editable) with Keras, scikit-learn and the notebook runner
install: venv unlink-labext
	$(BIN)/pip install -q -e ".[demo]"

## install-test: what the tests need too (pytest, Playwright, psycopg, JupyterLab)
install-test: venv unlink-labext
	$(BIN)/pip install -q -e ".[demo,test]"

## demo: run the quickstart notebook on the embedded SQLite journal, print the journal's runs
demo: install
	$(PYTHON) -m nbjournal.cli.demo example_notebooks/01_quickstart.ipynb

## test: every test, SQLite and a throw-away PostgreSQL, the browser tests in Debian's Chromium
test: install-test labext labext-test browser-deps
	@url=$$(scripts/pg.sh start); \
	NBJOURNAL_TEST_PG_URL="$$url" $(BIN)/pytest; status=$$?; \
	scripts/pg.sh stop; exit $$status

## lab: JupyterLab on example_notebooks/ with the embedded journal (Dask included: `Client()` in a cell starts a local cluster for --engine dask)
lab: install labext
	$(BIN)/jupyter lab --notebook-dir=example_notebooks

## bench: speed and cost beside bare Keras, raw sqlite3, MLflow and livelossplot
bench: install
	$(BIN)/pip install -q -e ".[demo,bench]"
	$(PYTHON) -m benchmarks

lint: install-test
	$(BIN)/ruff check nbjournal tests benchmarks
	$(BIN)/ruff format --check nbjournal tests benchmarks

## labext: build the Journal lab extension when its sources changed, copy it into the venv
LABEXT := labextension
LABEXT_BUILT := nbjournal/labextension/static/style.js
LABEXT_SOURCES := $(shell find $(LABEXT)/src $(LABEXT)/style -type f -not -path '*/__tests__/*' 2>/dev/null) \
	$(LABEXT)/package.json $(LABEXT)/tsconfig.json
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/nbjournal
IN_VENV := PATH="$(abspath $(BIN)):$$PATH"
JLPM := $(IN_VENV) $(abspath $(BIN))/jlpm

$(BIN)/jlpm: | venv
	$(BIN)/pip install -q "jupyterlab>=4.6,<5"

$(LABEXT)/node_modules/.yarn-state.yml: $(LABEXT)/package.json $(LABEXT)/yarn.lock | $(BIN)/jlpm
	cd $(LABEXT) && $(JLPM) install
	@touch $@

$(LABEXT_BUILT): $(LABEXT)/node_modules/.yarn-state.yml $(LABEXT_SOURCES)
	cd $(LABEXT) && $(JLPM) build
	@touch $@

labext: $(LABEXT_LINK)/package.json

# A copy, not `jupyter labextension develop`'s symlink: through a symlink the next
# `pip install -e .` writes install.json into the build output, and the one after fails.
$(LABEXT_LINK)/package.json: $(LABEXT_BUILT)
	rm -rf $(LABEXT_LINK) && mkdir -p $(LABEXT_LINK)
	cp -R nbjournal/labextension/. install.json $(LABEXT_LINK)/

# An older checkout linked the extension; undo it before pip installs again.
unlink-labext:
	@if [ -L $(LABEXT_LINK) ]; then rm -f $(LABEXT_LINK) nbjournal/labextension/install.json; fi

## labext-test: the lab extension's own checks: eslint, prettier, stylelint, then jest
labext-test: $(LABEXT)/node_modules/.yarn-state.yml
	cd $(LABEXT) && $(JLPM) lint:check && $(JLPM) test

## browser-deps: Debian's Chromium for the browser tests, installed only when /usr/bin/chromium is missing
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium < /dev/null; \
	fi

## pg-start: a throw-away PostgreSQL on 127.0.0.1 (data in .pg/, or /tmp when postgres cannot enter the checkout); prints its URL, or nothing when unavailable
pg-start:
	@scripts/pg.sh start

## pg-stop: stop that PostgreSQL (fast shutdown)
pg-stop:
	@scripts/pg.sh stop

clean:
	rm -rf $(VENV) nbjournal/labextension labextension/node_modules labextension/lib

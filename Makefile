# The front door. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
TIMED := $(CURDIR)/scripts/timed.sh
# uv when the venv has it (a pip install of uv when the venv is made), else pip
PIP_INSTALL := $(CURDIR)/scripts/pip-install.sh $(VENV)
# The lab extension (npm project in labextension/, built into nbjournal/labextension)
LABEXT := labextension
LABEXT_BUILT := nbjournal/labextension/static/style.js
LABEXT_SOURCES := $(shell find $(LABEXT)/src $(LABEXT)/style -type f -not -path '*/__tests__/*' 2>/dev/null) \
	$(LABEXT)/package.json $(LABEXT)/tsconfig.json
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/nbjournal
IN_VENV := PATH="$(abspath $(BIN)):$$PATH"
JLPM := $(IN_VENV) $(abspath $(BIN))/jlpm
export NBJOURNAL_TIMES := $(CURDIR)/.make-times
# pytest-xdist workers of `make test` (the split: conftest.py's LONGEST). 3 is faster where the
# machine is otherwise idle, but a Dask worker-kill test and a brush drag failed at 3 (session 5)
TEST_WORKERS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The venv and the tree are ours: their modules are compiled once, not in every process
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test test-steps pytest-all labext-test-logged lint-logged lint lint-only lab bench venv install \
	install-test browser-deps labext unlink-labext labext-test pg-start pg-stop clean

# A new venv gets uv (from PyPI): it installs in seconds what pip takes a minute for.
# Without it (an older venv, or no uv for this platform) pip installs.
$(BIN)/activate:
	$(PY) -m venv $(VENV)
	-$(TIMED) pip-uv $(BIN)/pip install -q uv

venv: $(BIN)/activate

## install: the package (editable) with Keras, scikit-learn and the notebook runner
install: venv unlink-labext
	$(PIP_INSTALL) -e ".[demo]"

## install-test: what the tests need too (pytest, Playwright, psycopg, JupyterLab, ruff, mypy).
## Their packages install while jlpm builds the lab extension (deps-test); nbjournal itself
## installs last, so pip's build hook finds the extension built and only installs.
install-test: venv unlink-labext $(LABEXT_BUILT) $(VENV)/.deps-test
	$(TIMED) pip-install $(PIP_INSTALL) -e ".[demo,test]"

# The test extra's packages without nbjournal (uv reads them from pyproject.toml; without uv,
# install-test's pip installs them all). After jlpm's own jupyterlab, so the two never write at once.
$(VENV)/.deps-test: pyproject.toml | $(BIN)/jlpm
	$(TIMED) pip-deps $(PIP_INSTALL) --deps-of pyproject.toml demo test
	@touch $@

## demo: run the quickstart notebook on the embedded SQLite journal, print the journal's runs
demo: install
	$(PYTHON) -m nbjournal.cli.demo example_notebooks/01_quickstart.ipynb

## test: every test, SQLite and a throw-away PostgreSQL, the browser tests in Debian's Chromium,
## the lab extension's lint and jest, ruff and mypy. Independent steps run side by side
## (Chromium's apt-get beside pip, jest beside pip and pytest, ruff and mypy beside pytest);
## the time table of the steps is printed at the end.
test:
	@$(TIMED) start
	@$(MAKE) --no-print-directory -j4 test-steps; status=$$?; $(TIMED) table; exit $$status

test-steps: pytest-all labext-test-logged lint-logged

# Each module's CPU-seconds and wall seconds (tests/cpu_profile.py) are written to .cpu-profile.tsv
# and the 25 largest printed after pytest: on two cores the wall time follows the CPU time.
pytest-all: install-test browser-deps
	@$(MAKE) --no-print-directory labext  # after pip, which writes the same folder
	@rm -f .cpu-profile.tsv; url=$$(scripts/pg.sh start); \
	NBJOURNAL_TEST_PG_URL="$$url" NBJOURNAL_CPU_PROFILE=$(CURDIR)/.cpu-profile.tsv \
		$(TIMED) pytest $(BIN)/pytest -n $(TEST_WORKERS) -p tests.cpu_profile; status=$$?; \
	scripts/pg.sh stop; \
	echo "=== CPU-seconds per test module (tests/cpu_profile.py) ==="; \
	$(PYTHON) tests/cpu_profile.py .cpu-profile.tsv --top 25; exit $$status

# Beside pytest, their output is held back and shown whole when they end.
labext-test-logged: $(LABEXT)/node_modules/.yarn-state.yml
	@$(TIMED) labext-test $(MAKE) --no-print-directory labext-test > .labext-test.log 2>&1; \
	status=$$?; cat .labext-test.log; exit $$status

lint-logged: install-test
	@$(TIMED) lint $(MAKE) --no-print-directory lint-only > .lint.log 2>&1; \
	status=$$?; cat .lint.log; exit $$status

## lab: JupyterLab on example_notebooks/ with the embedded journal (Dask included: `Client()` in a cell starts a local cluster for --engine dask)
lab: install labext
	$(BIN)/jupyter lab --notebook-dir=example_notebooks

## bench: speed and cost beside bare Keras, raw sqlite3, MLflow and livelossplot
bench: install
	$(PIP_INSTALL) -e ".[demo,bench]"
	$(PYTHON) -m benchmarks

## lint: ruff (lint and format) and mypy (its settings in pyproject.toml)
lint: install-test lint-only

lint-only:
	$(BIN)/ruff check nbjournal tests benchmarks scripts
	$(BIN)/ruff format --check nbjournal tests benchmarks scripts
	$(BIN)/mypy

## labext: build the Journal lab extension when its sources changed, copy it into the venv

$(BIN)/jlpm: | venv
	$(TIMED) pip-jupyterlab $(PIP_INSTALL) "jupyterlab>=4.6,<5"

$(LABEXT)/node_modules/.yarn-state.yml: $(LABEXT)/package.json $(LABEXT)/yarn.lock | $(BIN)/jlpm
	cd $(LABEXT) && $(TIMED) jlpm-install env $(JLPM) install
	@touch $@

$(LABEXT_BUILT): $(LABEXT)/node_modules/.yarn-state.yml $(LABEXT_SOURCES)
	cd $(LABEXT) && $(TIMED) labext-build env $(JLPM) build
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
		$(TIMED) apt-chromium bash -c 'apt-get update && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y chromium < /dev/null'; \
	fi

## pg-start: a throw-away PostgreSQL on 127.0.0.1 (data in .pg/, or /tmp when postgres cannot enter the checkout); prints its URL, or nothing when unavailable
pg-start:
	@scripts/pg.sh start

## pg-stop: stop that PostgreSQL (fast shutdown)
pg-stop:
	@scripts/pg.sh stop

clean:
	rm -rf $(VENV) nbjournal/labextension labextension/node_modules labextension/lib

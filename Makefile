# bankcrm: the two commands are `make demo` and `make test`; everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
WEB := web
PG_URL_DEFAULT := postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: help setup demo test test-python test-postgres test-web lint bench clean chromium web-build openapi

help:
	@echo "make demo    set up everything, build the demo bank and serve it"
	@echo "make test    set up everything and run every test (Python on SQLite and PostgreSQL, web, browser)"
	@echo "make lint    ruff + mypy + TypeScript"
	@echo "make bench   benchmarks (by hand, never in CI)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "bankcrm needs Python 3.11, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Regenerate the committed OpenAPI document the web client's types come from (a chore after API changes;
# the build uses the committed file, and a test fails when it no longer matches the server).
openapi: $(VENV)/.installed
	$(BIN)/bankcrm openapi > $(WEB)/openapi.json.tmp && mv $(WEB)/openapi.json.tmp $(WEB)/openapi.json
	cd $(WEB) && npm run --silent gen:api

web-build: $(VENV)/.installed $(WEB)/node_modules/.installed
	cd $(WEB) && npm run --silent gen:api && npm run --silent build

setup: $(VENV)/.installed $(WEB)/node_modules/.installed web-build

demo: setup
	$(BIN)/bankcrm demo

chromium:
	@scripts/ensure-chromium.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test-web: $(WEB)/node_modules/.installed
	cd $(WEB) && npm run --silent typecheck && npm run --silent test

# Includes tests/api/test_schemathesis.py: Schemathesis, all checks, bounded and derandomized, against
# the in-process app (0 failures), on SQLite here and on PostgreSQL in test-postgres.
# The embedded pass: SQLite + DuckDB, whatever the environment says (CI exports the PostgreSQL URL for
# the pass below; without the unset, both passes ran on PostgreSQL).
test-python: setup chromium
	env -u BANKCRM_TEST_DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

# The PostgreSQL pass: BANKCRM_TEST_DATABASE_URL when set, else the local server when it answers.
test-postgres: setup chromium
	@url="$${BANKCRM_TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python scripts/pg_answers.py "$(PG_URL_DEFAULT)"; then url="$(PG_URL_DEFAULT)"; fi; \
	if [ -z "$$url" ]; then \
	  if [ -n "$${BANKCRM_REQUIRE_POSTGRES:-}" ]; then echo "PostgreSQL pass required but no server answers" >&2; exit 1; fi; \
	  echo "*** PostgreSQL pass SKIPPED: no BANKCRM_TEST_DATABASE_URL and nothing answers at 127.0.0.1:5432 ***"; \
	else \
	  echo "*** PostgreSQL pass on $$url ***"; \
	  BANKCRM_TEST_DATABASE_URL="$$url" $(BIN)/pytest -q -p no:cacheprovider; \
	fi

test: setup lint test-web test-python test-postgres

bench: setup
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/*.py; do $(BIN)/python $$b; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) $(WEB)/node_modules $(WEB)/dist var

# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
PIP := $(BIN)/pip --disable-pip-version-check -q
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
STAMP_BENCH := $(VENV)/.installed-bench
DEPS := pyproject.toml constraints.txt
# axe-core for the browser tests; npm writes this file on every install.
NODE_STAMP := node_modules/.package-lock.json

.DEFAULT_GOAL := help
.PHONY: help install install-dev test-deps run test test-sqlite lint format typecheck check-migrations \
        schema messages bench clean ci

help:
	@echo "make run    - install, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test   - install test dependencies and run the test suite"
	@echo "make lint   - ruff (lint and format check) and mypy"
	@echo "make bench  - run the benchmarks in bench/, write bench/results/latest.{md,json}"
	@echo "make ci     - what CI runs (.ci/run)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(STAMP_RUN): $(DEPS) | $(VENV)/bin/python
	$(PIP) install -c constraints.txt -e .
	@scripts/pdf_deps.sh
	touch $@

# dev includes bench's few dependencies: the linters check bench/ too.
$(STAMP_DEV): $(DEPS) | $(VENV)/bin/python
	$(PIP) install -c constraints.txt -e '.[test,dev,bench]'
	touch $@ $(STAMP_RUN)

$(STAMP_BENCH): $(DEPS) | $(STAMP_DEV)
	$(PIP) install -c constraints.txt -e '.[test,dev,bench]'
	touch $@

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm is missing (apt-get install npm): the browser tests skip" >&2; fi

# What the tests need beyond .venv: Debian's chromium and axe-core (see README, Browser tests).
test-deps: $(STAMP_DEV) $(NODE_STAMP)
	@scripts/browser_deps.sh
	@scripts/pdf_deps.sh

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# Without DATABASE_URL / REDIS_URL: SQLite in var/ and the filesystem broker in var/celery.
run: $(STAMP_RUN) var/secret_key
	@mkdir -p var
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py migrate --noinput
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py collectstatic --noinput -v 0
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py seed_demo
	@echo "Serving on http://$${WEB_BIND:-127.0.0.1:8000}  (Ctrl-C stops web, worker and beat)"
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} PATH=$(BIN):$$PATH $(BIN)/honcho start -f Procfile

# Two pytest-xdist workers by default (each with its own test database and Redis db);
# PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

test: test-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-sqlite: test-deps
	TEST_DATABASE_URL=sqlite:// $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=$${SECRET_KEY:-lint} $(BIN)/mypy .

format: $(STAMP_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: $(STAMP_DEV)
	SECRET_KEY=check $(PY) manage.py makemigrations --check --dry-run

schema: $(STAMP_DEV)
	SECRET_KEY=check $(PY) manage.py spectacular --validate --fail-on-warn --file var/schema.yml

messages: $(STAMP_DEV)
	scripts/messages.sh

bench: $(STAMP_BENCH)
	$(PY) bench/run.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/static var/cache var/celery .pytest_cache .mypy_cache .ruff_cache

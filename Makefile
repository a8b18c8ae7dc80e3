# Samverkansportalen — the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Python writes its bytecode (__pycache__), even where the environment says not
# to: without it every test process (xdist worker, fault-test server) compiles
# every module and pytest rewrites every test module again, about 13 s of CPU each.
export PYTHONDONTWRITEBYTECODE :=

VENV := .venv
PY := $(VENV)/bin/python
UV = $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

# `make test` runs against real services; override with DATABASE_URL / REDIS_URL.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/samverkansportalen)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	SECRET_KEY=test-only-secret-key-not-for-production-0123456789 DEBUG=False \
	SECURE_SSL_REDIRECT=False STATIC_MANIFEST=False OMP_THREAD_LIMIT=1
# (OMP_THREAD_LIMIT: Tesseract's OCR in one thread, as the workers share two cores.)
# The embedded run: SQLite, no broker (tasks inline), console e-mail.
RUN_ENV := DATABASE_URL=$(or $(RUN_DATABASE_URL),sqlite:///db.sqlite3) REDIS_URL= DEBUG=True

# The suite runs in parallel (pytest-xdist): it waits on PostgreSQL and
# Chromium more than it computes, so more workers than cores pays off.
TEST_WORKERS ?= 3
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist worksteal

.PHONY: help run test test-fast lint typecheck bench messages venv services chromium clean

help:
	@echo "make run        — set up everything and serve the demo at http://127.0.0.1:8000"
	@echo "make test       — lint, types, migrations and the whole suite against PostgreSQL and Redis"
	@echo "make test-fast  — the suite without browser and slow tests, reusing the test databases"
	@echo "make bench      — benchmarks (prints figures, writes bench/results.json)"

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

venv: $(VENV)/.synced

run: venv
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

services:
	@$(TEST_ENV) $(PY) .ci/check_services.py

chromium:
	@bash .ci/ensure-chromium

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

typecheck: venv
	$(TEST_ENV) $(VENV)/bin/mypy

test: venv services chromium lint
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/mypy
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_PARALLEL) --create-db --check-templates $(PYTEST_ARGS)

# The edit-test loop: no lint, no browser (e2e) or slow tests, and the test
# databases of the last run are kept (new migrations are applied; after
# editing an applied migration, run `make test` or add PYTEST_ARGS=--create-db).
test-fast: venv services
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_PARALLEL) --reuse-db -m "not e2e and not slow" $(PYTEST_ARGS)

bench: venv services
	$(TEST_ENV) LOG_LEVEL=WARNING $(PY) -m bench $(BENCH_ARGS)

messages: venv
	$(RUN_ENV) $(PY) manage.py makemessages -l sv -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .pytest_cache .ruff_cache .import_linter_cache

# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PYTHONPATH := $(CURDIR):$(CURDIR)/platform
# The lock files (uv pip compile, hashes, CPython 3.11 on x86-64 Linux): production.txt holds
# the project's dependencies (the image), dev.txt adds the dev and embedded extras (make install,
# CI).  `make lock` regenerates both from pyproject.toml, keeping the pins it can.
LOCK := requirements/dev.txt
LOCK_TARGET := --python-version 3.11.7 --python-platform x86_64-unknown-linux-gnu
LOCK_FLAGS ?=

.PHONY: run test test-fast lint format install lock clean-data bench messages

# Reinstalled whenever the lock file changes: the locked versions, hash-checked, then the
# project itself (editable, built with the locked setuptools).
$(STAMP): $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## make lock: regenerate requirements/*.txt after changing pyproject.toml (LOCK_FLAGS=--upgrade for newer versions)
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes $(LOCK_TARGET) $(LOCK_FLAGS) \
	  -o requirements/production.txt
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes $(LOCK_TARGET) $(LOCK_FLAGS) \
	  --extra dev -o requirements/dev.txt

install: $(STAMP) messages

## make messages: compile the Vietnamese catalogue (platform/portal/locale/*.po → .mo; pure Python, polib)
messages: $(STAMP)
	$(BIN)/python -m portal.catalogue

## make run: embedded PostgreSQL + Redis (unless DATABASE_URL / REDIS_URL), demo province, web + worker + beat on :8000
run: $(STAMP) messages
	$(BIN)/python -m portal.launcher

## make test: the whole suite against real PostgreSQL and Redis, browser tests included
test: $(STAMP) messages
	$(BIN)/python -m pytest --durations=15

## make test-fast: the same suite without the browser tests (real PostgreSQL and Redis still)
test-fast: $(STAMP) messages
	$(BIN)/python -m pytest -m "not browser" --durations=15

TEMPLATES := $(shell find component_sites tenants themes -name '*.html' 2>/dev/null)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djhtml --check $(TEMPLATES)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml $(TEMPLATES)

bench: $(STAMP)
	$(BIN)/python bench/provisioning.py --runs 20
	$(BIN)/python bench/province.py --workers 2
	$(BIN)/python bench/pages.py --runs 20
	$(BIN)/python bench/syndication.py --sites 200 --procedures 2000 --workers 2
	$(BIN)/python bench/procedure_detail.py --sites 20 --rounds 3
	$(BIN)/python bench/workflow_approval.py --runs 6 --reviewers 4

## Forget the embedded databases and uploads of `make run` (asks nothing: use with care)
clean-data:
	rm -rf var/

# SPDX-License-Identifier: AGPL-3.0-or-later
#
# MCSC Case Engine: developer entry points (Debian 12).
#
#   make run            install what is missing, migrate, seed, serve on 127.0.0.1:8000
#   make test           lint + checks + pytest on SQLite + pytest on PostgreSQL 15
#                       + the production smoke test
#   make install        Debian packages + .venv (pip install -e '.[dev]')
#   make lint           ruff check + ruff format --check
#   make check          makemigrations --check + manage.py check
#   make test-sqlite    pytest on SQLite
#   make test-postgres  pytest on a throwaway PostgreSQL 15 cluster
#   make test-production  deploy a fresh copy as README "Production" says, on a throwaway
#                       PostgreSQL cluster, run gunicorn and check that it serves
#   make clean          remove .venv, db.sqlite3, media/, staticfiles/
#
# Variables: PY (python for the venv), ADDR (runserver address),
# PYTEST_ARGS (extra pytest options, e.g. PYTEST_ARGS='-n 2' or '-k pdf').

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
STAMP := $(VENV)/.installed-stamp
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n 2
PYTEST := $(PYTHON) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

.PHONY: run install install-test system-deps system-deps-test venv \
        lint check test test-sqlite test-postgres test-production clean help

help:
	@sed -n '3,19p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------- install --

system-deps:
	@echo "==> Debian packages"
	@PY='$(PY)' scripts/install-debian-packages.sh

system-deps-test:
	@echo "==> Debian packages (with chromium for the browser test)"
	@PY='$(PY)' scripts/install-debian-packages.sh --with-browser

$(VENV)/pyvenv.cfg:
	@echo "==> $(PY) -m venv $(VENV)"
	@$(PY) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip

# Reinstall only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	@echo "==> pip install -e '.[dev]'"
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

venv: $(STAMP)
	@:

install: system-deps
	@$(MAKE) venv

install-test: system-deps-test
	@$(MAKE) venv

# -------------------------------------------------------------------- run --

run: install
	@echo "==> manage.py migrate"
	@$(MANAGE) migrate --noinput
	@if compgen -G 'locale/*/LC_MESSAGES/*.po' >/dev/null; then \
	  echo "==> manage.py compilemessages"; \
	  $(MANAGE) compilemessages --ignore='$(VENV)' --ignore=node_modules; \
	fi
	@echo "==> manage.py seed_reference"
	@$(MANAGE) seed_reference
	@echo "==> manage.py seed_demo"
	@$(MANAGE) seed_demo
	@echo "==> manage.py runserver $(ADDR)"
	@exec $(MANAGE) runserver $(ADDR)

# ------------------------------------------------------------------- test --

define LINT
	@echo "==> ruff check ."
	@$(BIN)/ruff check .
	@echo "==> ruff format --check ."
	@$(BIN)/ruff format --check .
endef

define CHECK
	@echo "==> manage.py makemigrations --check --dry-run"
	@$(MANAGE) makemigrations --check --dry-run
	@echo "==> manage.py check"
	@$(MANAGE) check
	@echo "==> manage.py compilemessages (the minutes' labels come from the catalogues)"
	@$(MANAGE) compilemessages --ignore='$(VENV)' --ignore=node_modules -v 0
endef

# DATABASE_URL is unset so this really runs on SQLite.
define TEST_SQLITE
	@echo "=== pytest on SQLite ==="
	@env -u DATABASE_URL $(PYTEST)
endef

define TEST_POSTGRES
	@echo "=== pytest on PostgreSQL 15 ==="
	@scripts/with-postgres.sh $(PYTEST)
endef

define TEST_PRODUCTION
	@echo "=== production smoke test (PostgreSQL 15, gunicorn) ==="
	@scripts/with-postgres.sh scripts/production-smoke.sh
endef

lint: $(STAMP)
	$(LINT)

check: install
	$(CHECK)

test-sqlite: install-test
	$(TEST_SQLITE)

test-postgres: install-test
	$(TEST_POSTGRES)

test-production: install
	$(TEST_PRODUCTION)

# In order; stops at the first failure.
test: install-test
	$(LINT)
	$(CHECK)
	$(TEST_SQLITE)
	$(TEST_POSTGRES)
	$(TEST_PRODUCTION)

# ------------------------------------------------------------------ clean --

clean:
	@echo "==> clean"
	rm -rf $(VENV) db.sqlite3* media staticfiles .pytest_cache .ruff_cache *.egg-info

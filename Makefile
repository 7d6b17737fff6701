# Casework: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint typecheck pytest install chromium format migrate seed clean help

help:
	@echo "make run    - install, migrate, load demo data, start web server + worker"
	@echo "make test   - install test needs, run lint, type checks and the test suite"
	@echo "make format - format Python and templates"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/pip install -q -r requirements/dev.txt
	touch $@

install: $(VENV)/.base-installed

migrate: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo

run: seed
	PORT=$(PORT) scripts/run.sh

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find templates crm -name '*.html' -print0 | xargs -0 $(BIN)/djade --target-version 5.2 --check
	$(BIN)/python scripts/lint.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy .

pytest: $(VENV)/.dev-installed chromium
	scripts/pytest.sh

test: lint typecheck pytest

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	find templates crm -name '*.html' -print0 | xargs -0 $(BIN)/djade --target-version 5.2

clean:
	rm -rf $(VENV) var staticfiles .coverage htmlcov .mypy_cache .ruff_cache

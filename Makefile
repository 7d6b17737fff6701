# Casework: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint typecheck pytest install chromium format migrate seed clean help bench wrk \
	replica replica-stop pgbouncer bench-replica

help:
	@echo "make run    - install, migrate, load demo data, start web server + worker"
	@echo "make test   - install test needs, run lint, type checks and the test suite"
	@echo "make format - format Python and templates"
	@echo "make bench  - benchmark every page on SQLite and PostgreSQL (BENCH_SCALE=0.01 for a quick run)"
	@echo "make replica - start a PostgreSQL primary, a streaming standby and PgBouncer (var/pgcluster)"

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

# A real primary + streaming standby (+ PgBouncer) on this machine: README, "Scaling out".
pgbouncer:
	@command -v pgbouncer >/dev/null 2>&1 || { \
	  echo "Installing Debian's pgbouncer for the scale-out setup..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq pgbouncer >/dev/null; }

replica: pgbouncer
	scripts/replica.sh pgbouncer

replica-stop:
	scripts/replica.sh stop

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find templates crm -name '*.html' -print0 | xargs -0 $(BIN)/djade --target-version 5.2 --check
	$(BIN)/python scripts/lint.py
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy .

pytest: $(VENV)/.dev-installed chromium pgbouncer
	scripts/pytest.sh

test: lint typecheck pytest

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	find templates crm -name '*.html' -print0 | xargs -0 $(BIN)/djade --target-version 5.2

# Benchmarks (bench/): throw-away databases var/bench.sqlite3 and casework_bench at
# scale 1. Another scale gets its own pair (BENCH_SCALE=5: casework_bench5; 0.01:
# var/bench0_01.sqlite3 and casework_bench0_01), so its run does not wipe scale 1's
# data, and its results are kept beside scale 1's. Above scale 1 only PostgreSQL is
# timed (issue 21: scale 5 against scale 1), and the deliveries and replica benches,
# which do not read the large firm's rows, keep their figures from scale 1.
BENCH_SCALE ?= 1
BENCH_REQUESTS ?= 200
BENCH_LOAD_SECONDS ?= 20
BENCH_PG_HOST ?= 127.0.0.1
BENCH_SMALL := $(filter 0.% 1 1.0,$(BENCH_SCALE))
BENCH_SUFFIX := $(if $(filter 1 1.0,$(BENCH_SCALE)),,$(subst .,_,$(BENCH_SCALE)))
BENCH_PG_DB ?= casework_bench$(BENCH_SUFFIX)
BENCH_SQLITE := sqlite:///$(CURDIR)/var/bench$(BENCH_SUFFIX).sqlite3
BENCH_PG := postgres://postgres@$(BENCH_PG_HOST):5432/$(BENCH_PG_DB)
BENCH_RUN = DJANGO_SETTINGS_MODULE=bench.settings nice -n 10 $(BIN)/python manage.py

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the load test..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

bench: install wrk
	@mkdir -p var
ifneq ($(BENCH_SMALL),)
	DATABASE_URL=$(BENCH_SQLITE) $(BENCH_RUN) migrate --noinput -v0
	DATABASE_URL=$(BENCH_SQLITE) $(BENCH_RUN) bench_data --scale $(BENCH_SCALE) --replace
	DATABASE_URL=$(BENCH_SQLITE) $(BENCH_RUN) bench_run --scale $(BENCH_SCALE) \
	  --requests $(BENCH_REQUESTS) --load-seconds $(BENCH_LOAD_SECONDS)
	DATABASE_URL=$(BENCH_SQLITE) $(BENCH_RUN) bench_deliveries
endif
	psql -h $(BENCH_PG_HOST) -U postgres -tAc \
	  "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_PG_DB)'" | grep -q 1 || \
	  createdb -h $(BENCH_PG_HOST) -U postgres $(BENCH_PG_DB)
	DATABASE_URL=$(BENCH_PG) $(BENCH_RUN) migrate --noinput -v0
	DATABASE_URL=$(BENCH_PG) $(BENCH_RUN) bench_data --scale $(BENCH_SCALE) --replace
	DATABASE_URL=$(BENCH_PG) $(BENCH_RUN) bench_run --scale $(BENCH_SCALE) \
	  --requests $(BENCH_REQUESTS) --load-seconds $(BENCH_LOAD_SECONDS)
ifneq ($(BENCH_SMALL),)
	DATABASE_URL=$(BENCH_PG) $(BENCH_RUN) bench_deliveries
	@if [ -x $(PG_BIN)/pg_ctl ]; then $(MAKE) --no-print-directory bench-replica; \
	  else echo "Replica benchmark skipped: no PostgreSQL server binaries in $(PG_BIN)."; fi
endif
	@echo "Results: bench/RESULTS.md"

# The list page with and without a streaming replica and through PgBouncer, on
# the clusters of scripts/replica.sh (its own small bench data: cheap).
PG_BIN ?= /usr/lib/postgresql/15/bin
BENCH_REPLICA_SCALE ?= 0.01
BENCH_REPLICA_SECONDS ?= 10
BENCH_REPLICA_ENV = PGCLUSTER_DB=casework_bench
BENCH_REPLICA_DB = DATABASE_URL=postgres://postgres@127.0.0.1:5433/casework_bench \
	DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5434/casework_bench

bench-replica: install wrk pgbouncer
	$(BENCH_REPLICA_ENV) scripts/replica.sh pgbouncer
	$(BENCH_REPLICA_DB) $(BENCH_RUN) migrate --noinput -v0
	$(BENCH_REPLICA_DB) $(BENCH_RUN) bench_data --scale $(BENCH_REPLICA_SCALE) --replace
	$(BENCH_REPLICA_DB) $(BENCH_RUN) bench_replica --load-seconds $(BENCH_REPLICA_SECONDS) \
	  --pgbouncer-url postgres://postgres@127.0.0.1:6433/casework_bench

clean:
	rm -rf $(VENV) var staticfiles .coverage htmlcov .mypy_cache .ruff_cache

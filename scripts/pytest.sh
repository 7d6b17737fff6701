#!/usr/bin/env bash
# Run the whole suite on two workers, with coverage on SQLite (fails under 90%).
# pytest exits 5 when it collects no test: that is a failure here too.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_ALLOW_ASYNC_UNSAFE=true
workers="${PYTEST_WORKERS:-2}"
# Coverage measures the code, which is the same on every database: it is
# taken on SQLite (the default, and CI's first pass). On PostgreSQL the suite
# runs without it, which saves about a third of that pass's time;
# COVERAGE_ON_POSTGRES=1 takes it there too.
coverage=(--cov --cov-report=term:skip-covered)
if [[ "${DATABASE_URL:-}" == postgres* && "${COVERAGE_ON_POSTGRES:-}" != 1 ]]; then
  coverage=()
fi
set +e
.venv/bin/pytest -n "$workers" "${coverage[@]}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing." >&2
  exit 1
fi
exit "$status"

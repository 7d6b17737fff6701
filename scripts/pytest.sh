#!/usr/bin/env bash
# Run the whole suite with coverage on two workers; fails under 90% coverage.
# pytest exits 5 when it collects no test: that is a failure here too.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_ALLOW_ASYNC_UNSAFE=true
workers="${PYTEST_WORKERS:-2}"
set +e
.venv/bin/pytest -n "$workers" \
  --cov --cov-report=term:skip-covered "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing." >&2
  exit 1
fi
exit "$status"

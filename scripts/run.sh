#!/usr/bin/env bash
# Start the web server, the background worker, the outbox worker and the
# Concert Hub simulator together; Ctrl-C stops them all. A worker that dies
# is started again (scripts/keep_running.sh) and the web server keeps serving.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PORT="${PORT:-8000}"
SIMULATOR_PORT="${SIMULATOR_PORT:-8765}"
# Links in e-mail (invitations, password resets) point at this server.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
export CONCERT_HUB_URL="${CONCERT_HUB_URL:-http://127.0.0.1:${SIMULATOR_PORT}}"
export OUTBOUND_ALLOWED_PRIVATE_HOSTS="${OUTBOUND_ALLOWED_PRIVATE_HOSTS:-127.0.0.1:${SIMULATOR_PORT}}"
TASK_WORKERS="${TASK_WORKERS:-1}"
OUTBOX_WORKERS="${OUTBOX_WORKERS:-1}"
PY=.venv/bin/python

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Casework..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$PY -m simulator --port "${SIMULATOR_PORT}" &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)
# The workers are started again if they die; the web server keeps serving.
# Any number of each worker may drain the queues at once (their claims are
# row locks with SKIP LOCKED on PostgreSQL, serialised writes on SQLite):
# TASK_WORKERS and OUTBOX_WORKERS set how many (README, "Scaling out").
for n in $(seq 1 "$TASK_WORKERS"); do
  scripts/keep_running.sh "Background worker $n" \
    $PY manage.py db_worker --queue-name '*' --interval 1 --no-reload &
  pids+=($!)
done
for n in $(seq 1 "$OUTBOX_WORKERS"); do
  scripts/keep_running.sh "Outbox worker $n" $PY manage.py outbox_worker &
  pids+=($!)
done

# Wait until the login page answers, then say where to go.
for _ in $(seq 1 60); do
  if $PY - "$PORT" <<'PYEOF' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/login/", timeout=1)
PYEOF
  sleep 0.5
done

cat <<MSG

  Casework is running:  http://127.0.0.1:${PORT}/
  Dev mailbox:          http://127.0.0.1:${PORT}/dev/mailbox/
  Background workers:   ${TASK_WORKERS} (manage.py db_worker, restarted if one stops)
  Outbox workers:       ${OUTBOX_WORKERS} (manage.py outbox_worker, restarted if one stops)
  Concert Hub simulator: http://127.0.0.1:${SIMULATOR_PORT}/  (sends go to ${CONCERT_HUB_URL})

MSG
$PY manage.py demo_logins
echo
echo "Press Ctrl-C to stop the server and the workers."
wait -n "${pids[@]}"

#!/usr/bin/env bash
# Run a command, and start it again whenever it exits, until this script is
# stopped (SIGTERM or SIGINT), which stops the command too. scripts/run.sh
# keeps the background workers alive with it: a worker killed mid-task (the
# OOM killer, a crash) comes back, its task lease expires and the task runs
# again, while the web server keeps serving.
#   scripts/keep_running.sh NAME COMMAND [ARG...]
set -uo pipefail
name="$1"
shift
delay="${KEEP_RUNNING_DELAY:-2}"
child=""
stopping=""
stop() {
  stopping=1
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 0
}
trap stop TERM INT
while [ -z "$stopping" ]; do
  "$@" &
  child=$!
  wait "$child"
  status=$?
  child=""
  [ -n "$stopping" ] && break
  echo "${name} stopped (exit ${status}); starting it again in ${delay} s." >&2
  sleep "$delay" &
  wait $!
done

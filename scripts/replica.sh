#!/usr/bin/env bash
# A real PostgreSQL primary and streaming standby (and optionally PgBouncer)
# on this machine, for development, the replica test and the benchmark.
#
#   scripts/replica.sh start        primary + standby (reused when running)
#   scripts/replica.sh pgbouncer    also PgBouncer (transaction pooling) in
#                                   front of the primary
#   scripts/replica.sh status       what runs, and the standby's replay lag
#   scripts/replica.sh env          the DATABASE_URL / DATABASE_REPLICA_URL lines
#   scripts/replica.sh stop         stop all three (the data stays)
#   scripts/replica.sh destroy      stop and delete the clusters
#
# The clusters live in $PGCLUSTER_DIR (default var/pgcluster), owned by the
# `postgres` OS user, which runs the binaries when started as root. The system
# server on 5432 and its configuration are never touched. Settings:
#   PGCLUSTER_DIR       where the clusters live (default var/pgcluster)
#   PG_PRIMARY_PORT     default 5433
#   PG_STANDBY_PORT     default 5434
#   PGBOUNCER_PORT      default 6433
#   PGCLUSTER_DB        the database made on the primary (default casework)
#   PG_BIN              default /usr/lib/postgresql/15/bin
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DIR="${PGCLUSTER_DIR:-var/pgcluster}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
PRIMARY_PORT="${PG_PRIMARY_PORT:-5433}"
STANDBY_PORT="${PG_STANDBY_PORT:-5434}"
BOUNCER_PORT="${PGBOUNCER_PORT:-6433}"
DB="${PGCLUSTER_DB:-casework}"
PRIMARY="$DIR/primary"
STANDBY="$DIR/standby"
BOUNCER="$DIR/pgbouncer"
SOCKETS="$DIR/sockets"

# Run a command as the postgres OS user (the server refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

need_binaries() {
  if [ ! -x "$PG_BIN/pg_ctl" ]; then
    echo "PostgreSQL binaries not found in $PG_BIN (set PG_BIN)." >&2
    exit 3
  fi
}

running() {
  [ -f "$1/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

psql_on() {
  local port="$1"
  shift
  as_pg "$PG_BIN/psql" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA "$@"
}

start_cluster() {
  local data="$1" port="$2"
  if running "$data"; then
    return 0
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-p $port -k $SOCKETS" start >/dev/null 9>&-
}

init_primary() {
  [ -f "$PRIMARY/PG_VERSION" ] && return 0
  as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U postgres --auth=trust \
    --no-instructions --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PRIMARY/postgresql.conf" <<CONF

# Casework's development primary (scripts/replica.sh)
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 4
wal_keep_size = '256MB'
hot_standby = on
hot_standby_feedback = on
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '128MB'
max_connections = 100
timezone = 'UTC'
CONF
  # Trust on loopback only, for the app and for replication.
  cat >"$PRIMARY/pg_hba.conf" <<HBA
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
HBA
}

init_standby() {
  [ -f "$STANDBY/PG_VERSION" ] && return 0
  # A fresh copy of the primary; -R writes standby.signal and primary_conninfo.
  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$STANDBY" -R -X stream -c fast --no-sync
  echo "port = $STANDBY_PORT" >>"$STANDBY/postgresql.conf"
}

create_db() {
  if [ "$(psql_on "$PRIMARY_PORT" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql_on "$PRIMARY_PORT" -c "CREATE DATABASE \"$DB\""
  fi
}

start_bouncer() {
  if ! command -v pgbouncer >/dev/null 2>&1; then
    echo "pgbouncer is not installed: run 'make pgbouncer'." >&2
    exit 3
  fi
  if [ -f "$BOUNCER/pgbouncer.pid" ] && kill -0 "$(cat "$BOUNCER/pgbouncer.pid")" 2>/dev/null; then
    return 0
  fi
  mkdir -p "$BOUNCER"
  cat >"$BOUNCER/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PRIMARY_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir = $SOCKETS
auth_type = trust
admin_users = postgres
auth_file = $BOUNCER/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 500
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $BOUNCER/pgbouncer.log
pidfile = $BOUNCER/pgbouncer.pid
INI
  echo '"postgres" ""' >"$BOUNCER/userlist.txt"
  chown -R postgres: "$BOUNCER" 2>/dev/null || true
  as_pg pgbouncer -d -q "$BOUNCER/pgbouncer.ini" 9>&-
  for _ in $(seq 1 50); do
    if as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$BOUNCER_PORT"; then return 0; fi
    sleep 0.1
  done
  echo "pgbouncer did not start: see $BOUNCER/pgbouncer.log" >&2
  exit 1
}

stop_all() {
  if [ -f "$BOUNCER/pgbouncer.pid" ]; then
    kill "$(cat "$BOUNCER/pgbouncer.pid")" 2>/dev/null || true
    rm -f "$BOUNCER/pgbouncer.pid"
  fi
  for data in "$STANDBY" "$PRIMARY"; do
    if running "$data"; then
      as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
  done
}

wait_for_standby() {
  # Until the standby answers and streams from the primary.
  for _ in $(seq 1 100); do
    if [ "$(psql_on "$STANDBY_PORT" -c "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] &&
      [ "$(psql_on "$PRIMARY_PORT" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "The standby did not start streaming: see $STANDBY/server.log" >&2
  exit 1
}

print_env() {
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
  echo "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$STANDBY_PORT/$DB"
  echo "# through PgBouncer (scripts/replica.sh pgbouncer):"
  echo "# DATABASE_URL=postgres://postgres@127.0.0.1:$BOUNCER_PORT/$DB DATABASE_POOLER=transaction"
}

start_all() {
  need_binaries
  mkdir -p "$SOCKETS"
  chown postgres: "$DIR" "$SOCKETS" 2>/dev/null || true
  chmod 700 "$DIR"
  (
    # One start at a time (two test runs may call this together).
    flock 9
    init_primary
    start_cluster "$PRIMARY" "$PRIMARY_PORT"
    init_standby
    start_cluster "$STANDBY" "$STANDBY_PORT"
    create_db
    wait_for_standby
  ) 9>"$DIR/.lock"
}

case "${1:-start}" in
  start)
    start_all
    print_env
    ;;
  pgbouncer)
    start_all
    start_bouncer
    print_env
    ;;
  env) print_env ;;
  status)
    need_binaries
    for name in primary standby; do
      data="$DIR/$name"
      if running "$data"; then echo "$name: running"; else echo "$name: stopped"; fi
    done
    if running "$PRIMARY"; then
      psql_on "$PRIMARY_PORT" -c "SELECT 'standby ' || application_name || ': ' || state || ', replay lag ' || coalesce(replay_lag::text, '0') FROM pg_stat_replication"
    fi
    ;;
  stop) stop_all ;;
  destroy)
    stop_all
    rm -rf "$PRIMARY" "$STANDBY" "$BOUNCER" "$SOCKETS"
    ;;
  *)
    echo "usage: $0 [start|pgbouncer|status|env|stop|destroy]" >&2
    exit 2
    ;;
esac

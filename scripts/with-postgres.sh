#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Run a command against a throwaway PostgreSQL 15 cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a fresh cluster in a temporary directory (Unix socket only, no TCP,
# fsync off), creates superuser and database "mcsc", runs CMD with
# DATABASE_URL (and PGHOST/PGPORT/PGUSER/PGDATABASE) pointing at it, then
# always stops the cluster and deletes the directory. Exits with CMD's status.
#
# Binaries come from /usr/lib/postgresql/15/bin (override with PG_BINDIR).
# initdb refuses to run as root, so as root the server runs as "postgres".
set -euo pipefail

if (( $# == 0 )); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
for b in initdb pg_ctl postgres createdb; do
  if [[ ! -x "$PG_BINDIR/$b" ]]; then
    echo "error: $PG_BINDIR/$b not found; PostgreSQL 15 is needed" \
         "(Debian 12: sudo apt-get install postgresql)." >&2
    exit 1
  fi
done

log() { echo "with-postgres: $*" >&2; }

# As root, run the server-side tools as the postgres user.
if [[ "$(id -u)" == 0 ]]; then
  PG_OS_USER=postgres
  if ! id "$PG_OS_USER" >/dev/null 2>&1; then
    echo "error: running as root but there is no '$PG_OS_USER' user" \
         "(it comes with the postgresql package)." >&2
    exit 1
  fi
  as_pg() {
    if command -v runuser >/dev/null 2>&1; then
      runuser -u "$PG_OS_USER" -- "$@"
    else
      su "$PG_OS_USER" -s /bin/sh -c '"$0" "$@"' -- "$@"
    fi
  }
else
  as_pg() { "$@"; }
fi

# Short path under /tmp: Unix socket paths are limited to ~107 bytes.
PGTMP="$(mktemp -d /tmp/mcsc-pg.XXXXXXXX)"
chmod 755 "$PGTMP"
[[ -n "${PG_OS_USER:-}" ]] && chown "$PG_OS_USER:" "$PGTMP"
PGDATA_DIR="$PGTMP/data"
started=0

cleanup() {
  local rc=$?
  if (( started )); then
    (cd "$PGTMP" && as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1) \
      || (cd "$PGTMP" && as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1) \
      || log "warning: pg_ctl stop failed"
  fi
  rm -rf "$PGTMP"
  log "stopped (cluster $PGTMP removed)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

fail() {
  log "error: $1"
  [[ -f "$2" ]] && sed 's/^/  | /' "$2" >&2
  exit 1
}

# A free port number; with listen_addresses='' it only names the socket file.
PGPORT_NUM="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $(( 20000 + RANDOM % 20000 )))"

orig_pwd="$PWD"
cd "$PGTMP"   # the postgres user may not be able to read the caller's cwd
as_pg "$PG_BINDIR/initdb" -D "$PGDATA_DIR" -U mcsc --auth=trust \
  --encoding=UTF8 --no-locale --no-sync >"$PGTMP/initdb.log" 2>&1 \
  || fail "initdb failed:" "$PGTMP/initdb.log"

cat >>"$PGDATA_DIR/postgresql.conf" <<CONF

# --- throwaway test cluster (scripts/with-postgres.sh) ---
listen_addresses = ''
unix_socket_directories = '$PGTMP'
port = $PGPORT_NUM
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

started=1
as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$PGTMP/server.log" -w -t 60 start >/dev/null \
  || fail "PostgreSQL did not start:" "$PGTMP/server.log"

"$PG_BINDIR/createdb" -h "$PGTMP" -p "$PGPORT_NUM" -U mcsc mcsc \
  || fail "createdb mcsc failed" "$PGTMP/server.log"
cd "$orig_pwd"

# Socket directory as a percent-encoded host: understood by libpq/psql and by
# dj-database-url (which then sets HOST and PORT).
export DATABASE_URL="postgres://mcsc@${PGTMP//\//%2F}:${PGPORT_NUM}/mcsc"
export PGHOST="$PGTMP" PGPORT="$PGPORT_NUM" PGUSER=mcsc PGDATABASE=mcsc

version="$("$PG_BINDIR/psql" -X -A -t -c 'show server_version')"
log "PostgreSQL $version running in $PGTMP (socket port $PGPORT_NUM)"
log "DATABASE_URL=$DATABASE_URL"

rc=0
"$@" || rc=$?
exit "$rc"

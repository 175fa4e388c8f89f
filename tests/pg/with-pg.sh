#!/bin/sh
# with-pg.sh: runs one test program against a throwaway PostgreSQL 15 cluster.
#   with-pg.sh PROGRAM [ARGS...]
# initdb makes a cluster in a new temporary folder, owned by an unprivileged user when
# run as root (initdb and postgres refuse root: the user `handen-test`, created on
# first use, or `nobody`); the server listens only on a Unix socket in that folder
# (listen_addresses = ''), with fsync on.  PROGRAM runs with HANDEN_TEST_PG set to a
# connection URI of the empty database handen_test as the superuser `handen` (trusted
# on the socket), and HANDEN_TEST_PG_PASSWORD_USER to a role `handen_pw` that must log
# in with the password `right`.  The server is stopped and the folder removed at the
# end, also when PROGRAM fails or the script is interrupted.  A missing server is a
# failure when CI is set, else the test is skipped (exit 77).
set -eu
bin=${HANDEN_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  if [ -n "${CI:-}" ]; then
    echo "with-pg.sh: no PostgreSQL 15 server in $bin (install postgresql-15: .ci/deps test)" >&2
    exit 1
  fi
  echo "with-pg.sh: no PostgreSQL 15 server in $bin; skipping" >&2
  exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/handen-pg-XXXXXX")
as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  owner=handen-test
  if ! id "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$owner" 2>/dev/null || owner=nobody
  fi
  chown "$owner" "$dir"
  as_owner() { setpriv --reuid="$owner" --regid="$(id -g "$owner")" --clear-groups -- "$@"; }
fi
chmod 700 "$dir"

stop() {
  status=$?
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit $status
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

as_owner "$bin/initdb" -D "$dir/data" -U handen --auth-local=trust --auth-host=reject \
  --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# The superuser is trusted on the socket; every other role logs in with a password.
cat >"$dir/data/pg_hba.conf" <<HBA
local all handen trust
local all all scram-sha-256
HBA
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on \
      -c synchronous_commit=on -c max_connections=200" start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}
psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U handen "$@"; }
psql -d postgres -c "CREATE DATABASE handen_test" \
  -c "CREATE ROLE handen_pw LOGIN PASSWORD 'right'" >/dev/null
psql -d handen_test -c "GRANT ALL ON SCHEMA public TO handen_pw" >/dev/null

export HANDEN_TEST_PG="postgresql://handen@/handen_test?host=$dir"
export HANDEN_TEST_PG_PASSWORD_USER="postgresql://handen_pw@/handen_test?host=$dir"
export HANDEN_TEST_PG_DIR="$dir"
"$@"

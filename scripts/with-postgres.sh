#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback, private to
# this run: initdb as the postgres user in a temporary directory, pg_ctl on
# a free port, the socket in that directory too. It installs Debian's
# postgresql package first when no server is installed. It exports:
#   ROSTER_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
# and stops the cluster (-m immediate) and removes its directory afterwards.
# The tests create a database of their own in it for every test.
. "$(dirname "$0")/lib.sh"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ]; then
  say "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  sudo_=""
  [ "$(id -u)" -eq 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  $sudo_ apt-get install -y -qq postgresql >/dev/null
fi
bin=$(pg_bin)
[ -x "$bin/initdb" ] || { echo "with-postgres: no initdb under /usr/lib/postgresql" >&2; exit 1; }

dir=$(mktemp -d /tmp/roster-pg.XXXXXX)
chmod 755 "$dir"
# initdb and the server refuse to run as root: they run as postgres.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
port=$(free_port)
# Tests make and drop many small databases: durability is not needed.
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export ROSTER_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
"$@"

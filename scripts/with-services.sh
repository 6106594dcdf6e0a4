#!/usr/bin/env bash
# Runs a command with the real services Roster's tests use, private to this run:
#   - a D-Bus session bus with gnome-keyring's Secret Service, unlocked, on an
#     empty keyring (the user's own keyring is never touched);
#   - mailpit as the SMTP server on loopback, with its HTTP API.
# It exports for the tests:
#   ROSTER_TEST_SMTP=127.0.0.1:PORT  ROSTER_TEST_MAILPIT=http://127.0.0.1:PORT
#   ROSTER_TEST_MAILPIT_BIN=path     ROSTER_REQUIRE_SERVICES=1 (a test that finds a
#   service missing fails instead of skipping)
. "$(dirname "$0")/lib.sh"

if [ -z "${ROSTER_IN_SERVICES:-}" ]; then
  exec dbus-run-session -- env ROSTER_IN_SERVICES=1 "$0" "$@"
fi

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# An unlocked login keyring in a fresh data dir.
export XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_DATA_HOME"
eval "$(printf 'roster-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

smtp=$(free_port)
http=$(free_port)
mailpit --smtp "127.0.0.1:$smtp" --listen "127.0.0.1:$http" --database "$work/mailpit.db" \
  --disable-version-check --smtp-auth-accept-any --smtp-auth-allow-insecure --quiet &
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$http/api/v1/info" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$http/api/v1/info" >/dev/null || { echo "mailpit did not start" >&2; exit 1; }

export ROSTER_TEST_SMTP="127.0.0.1:$smtp"
export ROSTER_TEST_MAILPIT="http://127.0.0.1:$http"
export ROSTER_TEST_MAILPIT_BIN="$ROOT/.bin/mailpit"
export ROSTER_REQUIRE_SERVICES=1
"$@"

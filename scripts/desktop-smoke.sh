#!/usr/bin/env bash
# Launches the production binary under Xvfb in a private D-Bus session and
# checks that the real window works: it renders, the first-run setup typed
# into it with xdotool reaches the Go backend and the SQLite file, and a second
# launch on the same database hands over to the first window and exits.
# Saves test-results/desktop.png. Fails when any of that did not happen.
. "$(dirname "$0")/lib.sh"

if [ -z "${ROSTER_IN_X:-}" ]; then
  exec dbus-run-session -- env ROSTER_IN_X=1 xvfb-run -a -s "-screen 0 1280x800x24 -noreset" "$0" "$@"
fi

bin="$ROOT/build/bin/roster"
out="$ROOT/test-results"
work=$(mktemp -d)
mkdir -p "$out"
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" LANG=en_GB.UTF-8 NO_AT_BRIDGE=1
db="$work/roster.db"
log="$work/cache/Roster/logs/roster.log"
app=
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
fail() {
  echo "desktop: $*" >&2
  import -window root "$out/desktop-failure.png" 2>/dev/null || true
  [ -f "$log" ] && tail -n 20 "$log" >&2
  exit 1
}

"$bin" --db "$db" >"$work/stdout.txt" 2>&1 &
app=$!

# The window is up when it is visible (Wails also makes a hidden 10x10 one of
# the same name) and the page inside it has loaded.
wid=
for _ in $(seq 120); do
  kill -0 "$app" 2>/dev/null || fail "roster exited at start: $(cat "$work/stdout.txt")"
  wid=$(xdotool search --onlyvisible --name '^Roster$' 2>/dev/null | head -n 1 || true)
  [ -n "$wid" ] && grep -q '"msg":"window ready"' "$log" 2>/dev/null && break
  sleep 0.25
done
[ -n "$wid" ] || fail "no visible Roster window within 30 s"
grep -q '"msg":"window ready"' "$log" || fail "the window never loaded its page"
sleep 1

# First-run setup, typed into the real window. A click on the empty top of the
# page gives the window the keyboard; Tab then reaches the first field.
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove --window "$wid" $((WIDTH / 2)) 20 click 1
sleep 0.3
xdotool key Tab
xdotool type --delay 15 "Desktop Test Ltd"
xdotool key Tab
xdotool type --delay 15 "Dora Desktop"
xdotool key Tab
xdotool type --delay 15 "dora@example.com"
xdotool key Return

# The backend stored it.
for _ in $(seq 40); do
  grep -q '"msg":"first-run setup completed"' "$log" && break
  sleep 0.25
done
grep -q '"msg":"first-run setup completed"' "$log" || fail "the setup typed into the window did not reach the backend"
python3 - "$db" <<'PY' || fail "the database does not hold the organisation typed into the window"
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT o.name, u.name, u.email FROM organisation o JOIN users u ON u.id = o.admin_user_id").fetchone()
assert row == ("Desktop Test Ltd", "Dora Desktop", "dora@example.com"), row
PY
sleep 1.5
import -window root "$out/desktop.png"

# The screen shows more than a blank or single-colour window.
colours=$(convert "$out/desktop.png" -format '%k' info:)
[ "$colours" -gt 200 ] || fail "the window looks blank ($colours colours in the screenshot)"

# A second launch on the same database focuses the first window and exits.
if timeout 20 "$bin" --db "$db" >/dev/null 2>&1; then status=0; else status=$?; fi
[ "$status" -eq 1 ] || fail "a second launch exited with $status, want 1 (handed over to the first window)"
for _ in $(seq 20); do
  grep -q '"msg":"second launch: focusing the window"' "$log" && break
  sleep 0.25
done
grep -q '"msg":"second launch: focusing the window"' "$log" || fail "the first window did not hear of the second launch"
kill -0 "$app" 2>/dev/null || fail "the first window died when a second launch happened"

kill "$app"
wait "$app" 2>/dev/null || true
app=
echo "desktop: window rendered ($colours colours), setup stored, second launch handed over; saved $out/desktop.png"

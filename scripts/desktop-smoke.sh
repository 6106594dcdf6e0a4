#!/usr/bin/env bash
# Launches the production binary under Xvfb in a private D-Bus session and
# checks that the real window works: it renders, the first-run setup typed
# into it with xdotool reaches the Go backend and the SQLite file, and a second
# launch on the same database hands over to the first window and exits.
# Saves test-results/desktop.png. Fails when any of that did not happen.
. "$(dirname "$0")/desktop-lib.sh"

start_roster
wait_rendered

# First-run setup, typed into the real window. A click on the empty top of the
# page gives the window the keyboard; Tab then reaches the choice "Set up a
# new organisation" (chosen already), and Tab again the first field.
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove --window "$wid" $((WIDTH / 2)) 20 click 1
sleep 0.3
xdotool key Tab
xdotool key Tab
xdotool type --delay 15 "Desktop Test Ltd"
xdotool key Tab
xdotool type --delay 15 "Dora Desktop"
xdotool key Tab
xdotool type --delay 15 "dora@example.com"
xdotool key Return

# The backend stored it.
wait_log '"msg":"first-run setup completed"' 10 || fail "the setup typed into the window did not reach the backend"
python3 - "$db" <<'PY' || fail "the database does not hold the organisation typed into the window"
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT o.name, u.name, u.email FROM organisation o JOIN users u ON u.id = o.admin_user_id").fetchone()
assert row == ("Desktop Test Ltd", "Dora Desktop", "dora@example.com"), row
PY
sleep 1.5
import -window "$wid" "$out/desktop.png"

# The screen shows more than a blank or single-colour window.
colours=$(convert "$out/desktop.png" -format '%k' info:)
[ "$colours" -gt 200 ] || fail "the window looks blank ($colours colours in the screenshot)"

# A second launch on the same database focuses the first window and exits.
if timeout 20 "$bin" --db "$db" >/dev/null 2>&1; then status=0; else status=$?; fi
[ "$status" -eq 1 ] || fail "a second launch exited with $status, want 1 (handed over to the first window)"
wait_log '"msg":"second launch: focusing the window"' 5 || fail "the first window did not hear of the second launch"
kill -0 "$app" 2>/dev/null || fail "the first window died when a second launch happened"

stop_roster
echo "desktop: window rendered ($colours colours), setup stored, second launch handed over; saved $out/desktop.png"

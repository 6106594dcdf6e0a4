# Shared by the desktop tests (scripts/desktop-*.sh): the production binary
# in a real window under Xvfb, in a private D-Bus session, with its own HOME.
# Source it as the first line of such a script: . "$(dirname "$0")/desktop-lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -z "${ROSTER_IN_X:-}" ]; then
  exec dbus-run-session -- env ROSTER_IN_X=1 xvfb-run -a -s "-screen 0 1600x900x24 -noreset" "$0" "$@"
fi

name=$(basename "$0" .sh)
bin="$ROOT/build/bin/roster"
out="$ROOT/test-results"
work=$(mktemp -d)
mkdir -p "$out"
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" LANG=en_GB.UTF-8 NO_AT_BRIDGE=1
db="$work/roster.db"
log="$work/cache/Roster/logs/roster.log"
app= wid=
extra_pids=()

cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

# fail saves a picture of the screen and the end of Roster's log, and stops.
fail() {
  echo "$name: $*" >&2
  import -window root "$out/$name-failure.png" 2>/dev/null || true
  [ -f "$log" ] && tail -n 20 "$log" >&2
  exit 1
}

# wait_log PATTERN SECONDS waits until Roster's log has a line matching PATTERN.
wait_log() {
  for _ in $(seq $(($2 * 4))); do
    grep -q "$1" "$log" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

# start_roster ARGS... starts the binary on $db and waits until its window is
# visible (Wails also makes a hidden 10x10 one of the same name) and the page
# inside it has loaded; it sets $app and $wid.
start_roster() {
  "$bin" --db "$db" "$@" >"$work/stdout.txt" 2>&1 &
  app=$!
  for _ in $(seq 120); do
    kill -0 "$app" 2>/dev/null || fail "roster exited at start: $(cat "$work/stdout.txt")"
    wid=$(xdotool search --onlyvisible --name '^Roster$' 2>/dev/null | head -n 1 || true)
    [ -n "$wid" ] && grep -q '"msg":"window ready"' "$log" 2>/dev/null && return 0
    sleep 0.25
  done
  [ -n "$wid" ] || fail "no visible Roster window within 30 s"
  fail "the window never loaded its page"
}

# wait_rendered waits until the window shows a whole screen, not a plain
# background or the loading spinner (those have far fewer than 500 colours),
# then for transitions to settle.
wait_rendered() {
  local colours=0
  for _ in $(seq 80); do
    import -window "$wid" "$work/probe.png"
    colours=$(convert "$work/probe.png" -format '%k' info:)
    [ "$colours" -gt 500 ] && break
    sleep 0.25
  done
  [ "$colours" -gt 500 ] || fail "the window did not render its page ($colours colours)"
  sleep 1
}

# stop_roster ends the app and waits for it.
stop_roster() {
  kill "$app"
  wait "$app" 2>/dev/null || true
  app=
}

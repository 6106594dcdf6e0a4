#!/usr/bin/env bash
# Drags a CSV file from a real GTK drag source (as a file manager offers it)
# onto the production window under Xvfb, on the "Invite multiple users"
# dialog, and checks that Roster read it: what the native drop path
# (DragAndDrop.EnableFileDrop + the window's OnFileDrop) does, end to end.
# Saves test-results/desktop-drop-*.png.
. "$(dirname "$0")/lib.sh"

if [ -z "${ROSTER_IN_X:-}" ]; then
  exec dbus-run-session -- env ROSTER_IN_X=1 xvfb-run -a -s "-screen 0 1600x900x24 -noreset" "$0" "$@"
fi

bin="$ROOT/build/bin/roster"
out="$ROOT/test-results"
work=$(mktemp -d)
mkdir -p "$out"
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" LANG=en_GB.UTF-8 NO_AT_BRIDGE=1
db="$work/roster.db"
log="$work/cache/Roster/logs/roster.log"
app= source_pid=
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  [ -n "$source_pid" ] && kill "$source_pid" 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
fail() {
  echo "desktop-drop: $*" >&2
  import -window root "$out/desktop-drop-failure.png" 2>/dev/null || true
  [ -f "$log" ] && tail -n 20 "$log" >&2
  exit 1
}
wait_log() { # wait_log PATTERN SECONDS
  for _ in $(seq $(($2 * 4))); do
    grep -q "$1" "$log" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

"$bin" --db "$db" --demo-data 20 >/dev/null || fail "could not write demo data"
csv="$work/new-colleagues.csv"
printf 'email,role\r\ngrace.hopper@example.org,User\r\nlinus@example.org,administrator\r\nnot-an-address,User\r\nmargaret@example.org,Owner\r\n' >"$csv"

"$bin" --db "$db" --open invite-multiple >"$work/stdout.txt" 2>&1 &
app=$!
wid=
for _ in $(seq 120); do
  kill -0 "$app" 2>/dev/null || fail "roster exited at start: $(cat "$work/stdout.txt")"
  wid=$(xdotool search --onlyvisible --name '^Roster$' 2>/dev/null | head -n 1 || true)
  [ -n "$wid" ] && grep -q '"msg":"window ready"' "$log" 2>/dev/null && break
  sleep 0.25
done
[ -n "$wid" ] || fail "no visible Roster window"
xdotool windowmove --sync "$wid" 0 0
# The page has rendered when the window shows more than a plain background;
# then the dialog opens (and listens for drops) with its transition.
for _ in $(seq 40); do
  import -window "$wid" "$work/probe.png"
  [ "$(convert "$work/probe.png" -format '%k' info:)" -gt 200 ] && break
  sleep 0.25
done
sleep 2
import -window root "$out/desktop-drop-1-dialog.png"

/usr/bin/python3 "$ROOT/scripts/drag-source.py" "$csv" >"$work/source.txt" 2>&1 &
source_pid=$!
sid=
for _ in $(seq 40); do
  sid=$(xdotool search --onlyvisible --name '^Roster drag source$' 2>/dev/null | head -n 1 || true)
  [ -n "$sid" ] && break
  sleep 0.25
done
[ -n "$sid" ] || fail "the drag source window did not appear: $(cat "$work/source.txt")"
xdotool windowmove --sync "$sid" 1340 80
sleep 0.5
eval "$(xdotool getwindowgeometry --shell "$sid")"
sx=$((X + WIDTH / 2)) sy=$((Y + HEIGHT / 2))
eval "$(xdotool getwindowgeometry --shell "$wid")"
dx=$((X + WIDTH / 2)) dy=$((Y + HEIGHT / 2))

# Drag in small steps with pauses, or GTK reports no target.
xdotool mousemove "$sx" "$sy" mousedown 1 sleep 0.1 mousemove $((sx + 20)) "$sy" sleep 0.1 \
  mousemove $((sx - 200)) "$sy" sleep 0.1 mousemove "$dx" "$dy" sleep 0.1 mousemove $((dx + 5)) "$dy" sleep 0.3 mouseup 1

wait_log '"msg":"import file read"' 15 || fail "the dropped file did not reach Roster ($(cat "$work/source.txt" | tr '\n' ' '))"
grep '"msg":"import file read"' "$log" | grep -q '"rows":4' || fail "Roster did not read the 4 rows of the dropped file: $(grep 'import file read' "$log")"
grep -q "drag-data-get" "$work/source.txt" || fail "the drop did not come from the drag source"
sleep 2 # the preview renders
import -window root "$out/desktop-drop-2-preview.png"
colours=$(convert "$out/desktop-drop-2-preview.png" -format '%k' info:)
[ "$colours" -gt 200 ] || fail "the window looks blank after the drop"
echo "desktop-drop: a file dragged from a GTK drag source reached the Invite multiple users dialog (4 rows read); saved $out/desktop-drop-*.png"

#!/usr/bin/env bash
# Drags a CSV file from a real GTK drag source (as a file manager offers it)
# onto the production window under Xvfb, on the "Invite multiple users"
# dialog, and checks that Roster read it: what the native drop path
# (DragAndDrop.EnableFileDrop + the window's OnFileDrop) does, end to end.
# Saves test-results/desktop-drop-*.png.
. "$(dirname "$0")/desktop-lib.sh"

"$bin" --db "$db" --demo-data 20 >/dev/null || fail "could not write demo data"
csv="$work/new-colleagues.csv"
printf 'email,role\r\ngrace.hopper@example.org,User\r\nlinus@example.org,administrator\r\nnot-an-address,User\r\nmargaret@example.org,Owner\r\n' >"$csv"

start_roster --open invite-multiple
xdotool windowmove --sync "$wid" 0 0
# Then the dialog opens (and listens for drops) with its transition.
wait_rendered
sleep 1
import -window root "$out/desktop-drop-1-dialog.png"

/usr/bin/python3 "$ROOT/scripts/drag-source.py" "$csv" >"$work/source.txt" 2>&1 &
extra_pids+=($!)
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

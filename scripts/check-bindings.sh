#!/usr/bin/env bash
# Fails when the committed frontend/wailsjs differs from what `wails generate
# module` makes of the Go facades today, or frontend/src/api/messageKeys.ts
# from the messages declared in backend/messages.go. The regenerated files
# stay in place, so committing them is the fix: run this script to regenerate.
. "$(dirname "$0")/lib.sh"
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
cp -r frontend/wailsjs "$before/"
cp frontend/src/api/messageKeys.ts "$before/"
go run ./backend/msg/internal/genkeys frontend/src/api/messageKeys.ts
stale=0
if ! diff -u "$before/messageKeys.ts" frontend/src/api/messageKeys.ts; then
  echo "frontend/src/api/messageKeys.ts is out of date with backend/messages.go: commit the regenerated file above." >&2
  stale=1
fi
go tool wails generate module -tags "$(go_tags)" -nocolour >/dev/null
# Wails writes the runtime files executable (they are not) and the enums in
# map order (so they are sorted here).
chmod 644 frontend/wailsjs/runtime/*
node scripts/sort-enums.mjs frontend/wailsjs/go/models.ts
if ! diff -ru "$before/wailsjs" frontend/wailsjs; then
  echo "frontend/wailsjs is out of date with the Go facades: commit the regenerated files above." >&2
  exit 1
fi
[ "$stale" = 0 ] || exit 1
echo "bindings up to date"

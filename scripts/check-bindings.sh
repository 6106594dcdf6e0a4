#!/usr/bin/env bash
# Fails when the committed frontend/wailsjs differs from what `wails generate
# module` makes of the Go facades today. The regenerated files stay in place,
# so committing them is the fix: run this script to regenerate the bindings.
. "$(dirname "$0")/lib.sh"
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
cp -r frontend/wailsjs "$before/"
go tool wails generate module -tags "$(go_tags)" -nocolour >/dev/null
# Wails writes the runtime files executable (they are not) and the enums in
# map order (so they are sorted here).
chmod 644 frontend/wailsjs/runtime/*
node scripts/sort-enums.mjs frontend/wailsjs/go/models.ts
if ! diff -ru "$before/wailsjs" frontend/wailsjs; then
  echo "frontend/wailsjs is out of date with the Go facades: commit the regenerated files above." >&2
  exit 1
fi
echo "bindings up to date"

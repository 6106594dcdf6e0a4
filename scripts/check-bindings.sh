#!/usr/bin/env bash
# Fails when the committed frontend/wailsjs differs from what `wails generate
# module` makes of the Go facades today. The regenerated files stay in place,
# so committing them is the fix.
. "$(dirname "$0")/lib.sh"
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
cp -r frontend/wailsjs "$before/"
[ -f frontend/dist/index.html ] || scripts/build.sh frontend
go tool wails generate module -tags "$(go_tags)" -nocolour >/dev/null
# Wails writes the runtime files executable; they are not.
chmod 644 frontend/wailsjs/runtime/*
if ! diff -ru "$before/wailsjs" frontend/wailsjs; then
  echo "frontend/wailsjs is out of date with the Go facades: commit the regenerated files above." >&2
  exit 1
fi
echo "bindings up to date"

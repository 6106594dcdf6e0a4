#!/usr/bin/env bash
# Builds Roster:  scripts/build.sh frontend | app | dev
#   frontend  the Vite bundle in frontend/dist (embedded into the binaries)
#   app       the production binary build/bin/roster (Wails, desktop+production tags)
#   dev       the dev-tagged binary build/bin/roster-dev, which serves the UI and
#             the Go bindings over HTTP for the end-to-end tests
. "$(dirname "$0")/lib.sh"
tags=$(go_tags)
for what in "$@"; do
  case "$what" in
  frontend)
    (cd frontend && npx vite build --logLevel warn)
    ;;
  app)
    [ -f frontend/dist/index.html ] || "$0" frontend
    go tool wails build -s -m -skipbindings -trimpath -tags "$tags" -o roster -nocolour >/dev/null
    echo "built build/bin/roster"
    ;;
  dev)
    [ -f frontend/dist/index.html ] || "$0" frontend
    go build -tags "dev,$tags" -o build/bin/roster-dev .
    echo "built build/bin/roster-dev"
    ;;
  *)
    echo "usage: $0 frontend|app|dev ..." >&2
    exit 2
    ;;
  esac
done

#!/usr/bin/env bash
# Runs the directory server's end-to-end test: a real roster-server binary,
# built here, on a temporary SQLite database and a free loopback port, driven
# through its admin API as a desktop would and through Debian's Chromium as
# the invitee (frontend/e2e-server). Extra arguments go to `playwright test`.
. "$(dirname "$0")/lib.sh"
mkdir -p build/bin
go build -tags "$(go_tags)" -o build/bin/roster-server ./cmd/roster-server
rm -rf test-results/e2e-server
cd frontend
npx tsc -p e2e-server/tsconfig.json
ROSTER_SERVER_BINARY="$ROOT/build/bin/roster-server" npx playwright test -c e2e-server/playwright.config.ts "$@"

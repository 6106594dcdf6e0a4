#!/usr/bin/env bash
# Runs the end-to-end tests: Debian's Chromium, driven by Playwright, against
# the dev-tagged binary (real Go backend, real SQLite), with the real services
# (mailpit, keyring) and under Xvfb, since the binary also opens its window.
# Extra arguments go to `playwright test` (e.g. -g "Invite one user").
. "$(dirname "$0")/lib.sh"
scripts/build.sh dev >/dev/null
# The sync specs run a real directory server beside the desktop.
go build -tags "$(go_tags)" -o build/bin/ ./cmd/roster-server
export ROSTER_SERVER_BINARY="$ROOT/build/bin/roster-server"
rm -rf test-results/screens test-results/e2e
scripts/with-services.sh bash -c 'cd frontend && NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1600x900x24 -noreset" npx playwright test "$@"' _ "$@"

#!/usr/bin/env bash
# Runs the directory server's end-to-end test: a real roster-server binary,
# built here, on a free loopback port, once on a temporary SQLite database
# and once on a database of its own in a throwaway PostgreSQL
# (scripts/with-postgres.sh), sending its email to mailpit
# (scripts/with-services.sh). A Roster desktop, played by the test harness
# scripts/e2e-desktop (the desktop's own services and outbox worker), mints
# and emails the links and sends their hashes to the admin API; Debian's
# Chromium follows them as the invitee (frontend/e2e-server). A relying
# party built on an independent OpenID Connect library (scripts/oidc-rp)
# signs members in through the server's provider. Extra
# arguments go to `playwright test` (--project sqlite or postgresql runs one).
. "$(dirname "$0")/lib.sh"
mkdir -p build/bin
rm -rf test-results/e2e-server
# The type check runs beside the build of the binaries (build/bin/roster-server, build/bin/e2e-desktop, build/bin/oidc-rp).
(cd frontend && npx tsc -p e2e-server/tsconfig.json) &
typecheck=$!
go build -tags "$(go_tags)" -o build/bin/ ./cmd/roster-server ./scripts/e2e-desktop ./scripts/oidc-rp
wait "$typecheck"
export ROSTER_SERVER_BINARY="$ROOT/build/bin/roster-server" ROSTER_E2E_DESKTOP_BINARY="$ROOT/build/bin/e2e-desktop" \
  ROSTER_OIDC_RP_BINARY="$ROOT/build/bin/oidc-rp"
scripts/with-services.sh scripts/with-postgres.sh \
  env -u DBUS_SESSION_BUS_ADDRESS bash -c 'cd frontend && npx playwright test -c e2e-server/playwright.config.ts "$@"' _ "$@"

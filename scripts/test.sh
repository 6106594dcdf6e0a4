#!/usr/bin/env bash
# Runs every test of Roster, in the order that fails fastest. `make test`.
. "$(dirname "$0")/lib.sh"
tags=$(go_tags)
mkdir -p test-results
summary=()
step() { # step NAME CMD...
  local name=$1 start=$SECONDS
  shift
  say "$name"
  if ! "$@"; then
    printf '\033[31mFAILED: %s\033[0m\n' "$name" >&2
    exit 1
  fi
  summary+=("$(printf '%4ss  %s' $((SECONDS - start)) "$name")")
}

step "Frontend bundle (embedded by the Go build)" scripts/build.sh frontend
step "go vet" go vet -tags "$tags" ./...
step "gofmt" bash -c 'out=$(gofmt -l $(git ls-files "*.go")); [ -z "$out" ] || { echo "gofmt would change: $out"; exit 1; }'
step "Generated bindings are committed and current" scripts/check-bindings.sh
step "Frontend lint and format (Biome)" bash -c 'cd frontend && npx biome ci .'
step "Frontend type check" bash -c 'cd frontend && npx tsc -b'
step "Frontend unit tests (Vitest)" bash -c 'cd frontend && npx vitest run'
step "Go tests (real SQLite, keyring, mailpit)" scripts/with-services.sh go test -tags "$tags" -count=1 ./...
# The fuzzers, briefly: a finding fails the step and is saved under the
# package's testdata/fuzz as a regression test. New inputs are minimised for
# at most a second each, so the time goes to fuzzing.
step "Fuzz the importer's readers and the address rule (12 s each)" bash -c '
  for f in backend/importer:FuzzReadCSV backend/importer:FuzzReadXLSX backend/importer:FuzzXLSXParts backend:FuzzParseEmail; do
    go test -tags "$0" -run "^\$" -fuzz "^${f#*:}\$" -fuzztime 12s -fuzzminimizetime 1s "./${f%%:*}/" || exit 1
  done' "$tags"
step "Production build" scripts/build.sh app
step "End-to-end tests (Chromium + dev binary)" scripts/e2e.sh
step "Desktop window under Xvfb" scripts/desktop-smoke.sh
step "Native file drop into the desktop window" scripts/desktop-drop.sh

say "All tests passed"
printf '%s\n' "${summary[@]}"

#!/usr/bin/env bash
# Runs every test of Roster: `make test`. The steps run in three lanes side
# by side (the machine has 2 cores; most steps wait on a browser, a window or
# a service part of the time). Each step writes its output to
# test-results/logs/<step>.log, which is printed when the step fails; a lane
# stops at its first failing step. At the end: each step's time, and the run
# fails if any step failed.
. "$(dirname "$0")/lib.sh"
tags=$(go_tags)
logs=test-results/logs
rm -rf "$logs"
mkdir -p "$logs"
start_all=$SECONDS

# step [--timed] NAME CMD... runs CMD with its output in NAME's log and
# records the time. --timed marks tests whose timeouts a starved CPU can trip
# (Go tests, fuzzing, the browser and window tests): they take turns, one at a
# time, while builds and checks run beside them. The time waited for the turn
# is not counted in the step's time.
step() {
  local timed=0 name start status=ok log lock
  if [ "$1" = --timed ]; then timed=1; shift; fi
  name=$1
  shift
  log="$logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-' | tr -s '-').log"
  if [ $timed -eq 1 ]; then
    exec {lock}>"$logs/.timed"
    flock "$lock"
  fi
  start=$SECONDS
  printf '==> %s (at %ss)\n' "$name" $((SECONDS - start_all))
  if [ $timed -eq 1 ]; then
    # The command runs without the lock's descriptor, so nothing it leaves behind holds the turn.
    "$@" >"$log" 2>&1 {lock}>&- || status=FAILED
    exec {lock}>&-
  else
    "$@" >"$log" 2>&1 || status=FAILED
  fi
  if [ $status = FAILED ]; then
    printf '\033[31mFAILED: %s\033[0m (output: %s)\n' "$name" "$log"
    echo "$log" >>"$logs/failed"
  fi
  printf '%4ss  %-6s %s\n' $((SECONDS - start)) "$status" "$name" >>"$logs/summary"
  [ "$status" = ok ]
}

# wait_for FILE waits until another lane has made FILE (or given up).
wait_for() {
  until [ -e "$1" ]; do sleep 1; done
  [ "$(cat "$1")" = ok ]
}

gofmt_check() {
  local out
  out=$(gofmt -l $(git ls-files '*.go'))
  [ -z "$out" ] || { echo "gofmt would change: $out"; return 1; }
}

# The fuzzers, briefly: a finding fails the step and is saved under the
# package's testdata/fuzz as a regression test. New inputs are minimised for
# at most a second each. It is a --timed step: with both cores busy fuzzing,
# the tests with timeouts wait their turn.
fuzz() {
  local f
  for f in backend/importer:FuzzReadCSV backend/importer:FuzzReadXLSX backend/importer:FuzzXLSXParts backend:FuzzParseEmail; do
    go test -tags "$tags" -run '^$' -fuzz "^${f#*:}\$" -fuzztime 12s -fuzzminimizetime 1s "./${f%%:*}/" || return 1
  done
}

# A fresh checkout (no frontend bundle, no build tags): plain go vet works,
# and the first line of plain go test says what to run instead.
fresh_checkout() {
  local dir out first rc=0
  local want="run: go test -tags sqlite_fts5 ./... (the search index needs SQLite's FTS5)"
  dir=$(mktemp -d)
  out=$(mktemp)
  git ls-files -z --cached --others --exclude-standard | tar -c --null -T - | tar -x -C "$dir"
  if ! (cd "$dir" && env -u GOFLAGS go vet ./...); then
    echo "plain go vet ./... fails on a fresh checkout"
    rc=1
  fi
  (cd "$dir" && env -u GOFLAGS go test -count=1 ./... >"$out" 2>&1) && rc=1
  first=$(head -n 1 "$out")
  cat "$out"
  if [ "$first" != "$want" ]; then
    echo "plain go test ./... on a fresh checkout: first line \"$first\", want \"$want\""
    rc=1
  fi
  rm -rf "$dir" "$out"
  return $rc
}

# Windows: the test code type-checked for Windows, then the production
# binary (WebView2 through go-webview2; SQLite through cgo and mingw-w64).
windows() {
  command -v x86_64-w64-mingw32-gcc >/dev/null ||
    { echo "x86_64-w64-mingw32-gcc is missing: scripts/deps.sh test installs gcc-mingw-w64-x86-64"; return 1; }
  local env=(GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc)
  env "${env[@]}" go vet -tags sqlite_fts5 ./... &&
    env "${env[@]}" go build -tags desktop,production,sqlite_fts5 -trimpath -ldflags "-w -s -H windowsgui" \
      -o build/bin/roster.exe . &&
    ls -l build/bin/roster.exe
}

# macOS: cgo cannot target macOS here, so what does not need go-sqlite3's
# cgo is checked: go vet where neither the package nor its tests need it,
# go build where only its tests do. The rest is listed, not checked.
darwin() {
  local env=(CGO_ENABLED=0 GOOS=darwin GOARCH=arm64) uses_cgo='{{range .Deps}}{{if eq . "github.com/mattn/go-sqlite3"}} cgo{{end}}{{end}}'
  local with_tests alone vet build rest
  with_tests=$(env "${env[@]}" go list -test -tags sqlite_fts5 -f "{{.ImportPath}}$uses_cgo" ./... |
    awk '{p=$1; sub(/(\.test|_test)$/, "", p); if ($NF == "cgo") print p}' | sort -u) || return 1
  # Packages of tests only (no non-test Go files) have nothing to build.
  alone=$(env "${env[@]}" go list -tags sqlite_fts5 -f "{{if .GoFiles}}{{.ImportPath}}$uses_cgo{{end}}" ./... |
    awk '$NF != "cgo" {print $1}') || return 1
  vet=$(comm -23 <(sort <<<"$alone") <(sort <<<"$with_tests"))
  build=$(comm -12 <(sort <<<"$alone") <(sort <<<"$with_tests"))
  rest=$(env "${env[@]}" go list ./... | sort | comm -23 - <(sort <<<"$alone"))
  echo "go vet for macOS:" $vet
  echo "go build for macOS (their tests need cgo):" $build
  echo "not checked for macOS (they need cgo):" $rest
  env "${env[@]}" go vet -tags sqlite_fts5 $vet && env "${env[@]}" go build -tags sqlite_fts5 $build
}

lane_go() {
  step "go vet" go vet -tags "$tags" ./... &&
    step --timed "Go tests (real SQLite, PostgreSQL, keyring, mailpit)" scripts/with-services.sh scripts/with-postgres.sh go test -tags "$tags" -count=1 ./... &&
    step --timed "Fuzz the importer's readers and the address rule (12 s each)" fuzz
}

# unit_and_build runs the frontend's unit tests beside the production build:
# neither measures time, so neither waits for the lock the timed steps hold.
unit_and_build() {
  local unit build
  step "Frontend unit tests (Vitest)" bash -c 'cd frontend && npx vitest run' &
  unit=$!
  step "Production build" scripts/build.sh app &
  build=$!
  wait $unit || { wait $build; return 1; }
  wait $build
}

lane_ui() {
  # The bindings check rewrites frontend/wailsjs, so it runs before anything reads it.
  step "Generated bindings are committed and current" scripts/check-bindings.sh &&
    step "Frontend bundle" scripts/build.sh frontend
  local bundle=$?
  [ $bundle -eq 0 ] && echo ok >"$logs/.bundle" || echo failed >"$logs/.bundle"
  [ $bundle -eq 0 ] &&
    step "Frontend lint and format (Biome)" bash -c 'cd frontend && npx biome ci .' &&
    step "Frontend type check" bash -c 'cd frontend && npx tsc -b' &&
    unit_and_build &&
    step --timed "End-to-end tests (Chromium + dev binary)" scripts/e2e.sh &&
    step --timed "Directory server end to end (Chromium + roster-server)" scripts/e2e-server.sh &&
    step --timed "Desktop window under Xvfb" scripts/desktop-smoke.sh &&
    step --timed "Native file drop into the desktop window" scripts/desktop-drop.sh
}

# Independent steps: one failing does not stop the others.
lane_platforms() {
  local rc=0
  step "Plain go vet and go test on a fresh checkout" fresh_checkout || rc=1
  step "macOS: go vet and go build of the cgo-free packages" darwin || rc=1
  { wait_for "$logs/.bundle" && step "Windows: go vet and the production binary (mingw-w64)" windows; } || rc=1
  return $rc
}

# Fast checks first; then the lanes.
step "gofmt" gofmt_check || { cat "$logs/gofmt.log"; exit 1; }
lane_go &
go_lane=$!
lane_ui &
ui_lane=$!
lane_platforms &
platforms_lane=$!
failed=0
for lane in $go_lane $ui_lane $platforms_lane; do
  wait "$lane" || failed=1
done

if [ -f "$logs/failed" ]; then
  while read -r log; do
    printf '\n\033[1m--- %s\033[0m\n' "$log"
    cat "$log"
  done <"$logs/failed"
fi
echo
cat "$logs/summary"
printf '%4ss  total (wall)\n' $((SECONDS - start_all))
if [ $failed -ne 0 ]; then
  printf '\033[31mFAILED: %s\033[0m\n' "$(grep -c FAILED "$logs/summary") step(s), logs in $logs"
  exit 1
fi
say "All tests passed"

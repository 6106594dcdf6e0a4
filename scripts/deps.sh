#!/usr/bin/env bash
# Installs what Roster needs and is missing, then does nothing on later runs.
#   scripts/deps.sh run    what building and running Roster needs
#   scripts/deps.sh test   that, plus what the tests need (Xvfb, Chromium,
#                          gnome-keyring, D-Bus, xdotool, mailpit, ...)
# Debian and Ubuntu only; elsewhere it says what to install (see README).
. "$(dirname "$0")/lib.sh"
mode=${1:-run}

need() { # need CMD MESSAGE
  command -v "$1" >/dev/null 2>&1 || { echo "roster: $2" >&2; exit 1; }
}
need go "Go 1.26 or later is required: https://go.dev/dl/"
need node "Node.js 20 or later is required: https://nodejs.org/"
need npm "npm is required (it comes with Node.js)."
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "roster: Node.js 20 or later is required, found $(node --version)" >&2; exit 1; }

# System packages.
if command -v apt-get >/dev/null 2>&1; then
  webkit=libwebkit2gtk-4.0-dev
  if ! apt-cache show "$webkit" >/dev/null 2>&1; then webkit=libwebkit2gtk-4.1-dev; fi
  packages=(build-essential pkg-config libgtk-3-dev "$webkit" ca-certificates)
  if [ "$mode" = test ]; then
    # gcc-mingw-w64-x86-64: cgo's C compiler for the Windows build the tests cross-compile.
    packages+=(xvfb xauth xdotool imagemagick chromium dbus dbus-x11 gnome-keyring
      python3 python3-gi gir1.2-gtk-3.0 curl gcc-mingw-w64-x86-64)
  fi
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  echo "roster: no apt-get here; install the packages listed in README.md yourself." >&2
fi

# Frontend packages, exactly as locked.
if [ ! -f frontend/node_modules/.package-lock.json ] ||
  [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  say "Installing npm packages"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi

# Go modules (the Wails CLI is a tool of this module: `go tool wails`).
go mod download

# mailpit reports its version as "dev" when built by go install, so a stamp file says which one is here.
if [ "$mode" = test ] && [ "$(cat .bin/mailpit.version 2>/dev/null || true)" != "$MAILPIT_VERSION" ]; then
  say "Installing mailpit $MAILPIT_VERSION"
  GOBIN="$ROOT/.bin" go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
  echo "$MAILPIT_VERSION" >.bin/mailpit.version
fi

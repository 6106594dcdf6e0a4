# Shared settings for Roster's scripts. Source it: . scripts/lib.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
cd "$ROOT"

# mailpit, the SMTP server the tests send to, pinned.
MAILPIT_VERSION=v1.33.1
export PATH="$ROOT/.bin:$PATH"

# go_tags prints the build tags every Go command here needs: FTS5 for the
# search index, and webkit2_41 where only WebKitGTK 4.1 is installed (Ubuntu 24.04+).
go_tags() {
  local tags=sqlite_fts5
  if ! pkg-config --exists webkit2gtk-4.0 2>/dev/null && pkg-config --exists webkit2gtk-4.1 2>/dev/null; then
    tags="$tags,webkit2_41"
  fi
  echo "$tags"
}

# free_port prints a TCP port on loopback that nothing listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# xvfb runs a command on a private X server big enough for the window.
xvfb() {
  xvfb-run -a -s "-screen 0 1600x900x24 -noreset" "$@"
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

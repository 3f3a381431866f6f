#!/usr/bin/env bash
# End-to-end test of the desktop app: builds the UI and the app (which embeds ui/dist through
# the default `custom-protocol` feature), then runs tests/e2e under a throwaway Xvfb display.
# Works from any directory and with CARGO_TARGET_DIR set to anything (relative or absolute).
#
# Needs: Debian packages libwebkit2gtk-4.1-dev xvfb webkit2gtk-driver, Node >= 20.19,
#        tauri-driver on PATH (cargo install tauri-driver --locked) or TAURI_DRIVER=/path.
# Env:   E2E_SKIP_BUILD=1 reuses the last build; E2E_KEEP_DATA=1 keeps each app's data directory;
#        E2E_PORT=N runs tauri-driver on port N and WebKitWebDriver on N+1 (default 4444).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/cargo.sh
source "$repo/scripts/lib/cargo.sh"
enter_repository "$repo"

missing=()
command -v node >/dev/null || missing+=("node (>= 20.19)")
command -v xvfb-run >/dev/null || missing+=("xvfb-run (apt-get install xvfb xauth)")
command -v WebKitWebDriver >/dev/null || missing+=("WebKitWebDriver (apt-get install webkit2gtk-driver)")
command -v xdotool >/dev/null || missing+=("xdotool (apt-get install xdotool), to answer the save dialog")
driver="${TAURI_DRIVER:-$(command -v tauri-driver || true)}"
[ -n "$driver" ] && [ -x "$driver" ] || missing+=("tauri-driver (cargo install tauri-driver --locked)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'e2e: missing %s\n' "${missing[@]}" >&2
  exit 2
fi

if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  echo "e2e: building the UI"
  [ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund
  npm --prefix ui run build
  echo "e2e: building the app and the sandbox (whose dump the tests read)"
  cargo build -p sellerdesk-desktop -p sellerdesk-sandbox --locked
fi

# Where cargo put the binary, whatever CARGO_TARGET_DIR says (cargo resolves it for us).
target_dir="$(cargo_target_dir)"
app="$target_dir/debug/sellerdesk-desktop"
[ -x "$app" ] || { echo "e2e: no app binary at $app" >&2; exit 1; }

# The Medusa test needs a real Medusa server: the run's (scripts/test-all.sh starts one), or one
# of its own, stopped by its process ids at the end.
if [ -z "${SELLERDESK_MEDUSA_ENV:-}" ]; then
  # shellcheck source=lib/medusa-run.sh
  source "$repo/scripts/lib/medusa-run.sh"
  start_medusa_for_this_run
fi

echo "e2e: running tests/e2e against $app"
export SELLERDESK_APP="$app" TAURI_DRIVER="$driver"
# xvfb-run starts a private X server on a free display and stops it when the command ends.
# with-keyring.sh gives the app a private system keyring (connecting a real platform in Settings
# stores the credentials there). One file at a time: each starts tauri-driver on the same port.
bash scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/*.test.mjs

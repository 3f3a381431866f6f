#!/usr/bin/env bash
# The IPC benchmark (issue #13, item 6): the window's command round trips while 1,000,000 codes
# are generated and a sync runs, beside the same window idle, in one run (benches/ipc/ipc.mjs says
# what is measured). Builds the UI and the app in release, then drives the app through
# tauri-driver under Xvfb. Goal: p99 <= 50 ms under load.
#
# Env:   BENCH_CODES=1000000       codes to generate
#        BENCH_IDLE_SECONDS=10     how long the idle window is probed
#        BENCH_SKIP_BUILD=1        reuse the last release build
#        BENCH_JSON=path           also write the figures there
# Needs: what scripts/setup.sh installs (WebKitGTK, webkit2gtk-driver, tauri-driver, Xvfb), Node.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/cargo.sh
source "$repo/scripts/lib/cargo.sh"
enter_repository "$repo"

for tool in node xvfb-run tauri-driver; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench-ipc: $tool is missing (see scripts/setup.sh)" >&2
    exit 2
  fi
done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench-ipc: building the UI and the app in release" >&2
  [ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund --loglevel=error
  npm --prefix ui run build >/dev/null
  cargo build --release --locked -p sellerdesk-desktop
fi

release="$(cargo_target_dir)/release"
SELLERDESK_APP="$release/sellerdesk-desktop" TAURI_DRIVER="$(command -v tauri-driver)" \
  bash scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  node benches/ipc/ipc.mjs

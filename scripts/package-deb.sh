#!/usr/bin/env bash
# Builds the Debian package of the desktop app, with the UI embedded:
#   target/release/bundle/deb/Seller Desk_<version>_amd64.deb   (under $CARGO_TARGET_DIR when set)
# Install it with `sudo apt install ./target/release/bundle/deb/*.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && npm run --silent build)
ui/node_modules/.bin/tauri build --bundles deb "$@"
ls -1 "${CARGO_TARGET_DIR:-target}"/release/bundle/deb/*.deb

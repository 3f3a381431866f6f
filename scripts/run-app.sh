#!/usr/bin/env bash
# Installs whatever is missing, builds the UI and starts the Seller Desk desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
(cd ui && npm run --silent build)
exec cargo run --locked -p sellerdesk-desktop "$@"

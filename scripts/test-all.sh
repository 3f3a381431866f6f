#!/usr/bin/env bash
# Every test of Seller Desk: formatting, lints, Rust unit/property/scenario/CLI tests (the Medusa
# connector against a real Medusa server started here), the UI's checks and unit tests, and the
# end-to-end test of the desktop app in a real window under Xvfb.
# Installs whatever is missing first (scripts/setup.sh). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "UI: build, type check, unit tests"
(cd ui && npm run --silent build && npm run --silent check && npm run --silent test)

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rustdoc (warnings are errors: broken intra-doc links)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --locked --quiet

step "a real Medusa 2 server and its PostgreSQL on loopback, for the connector tests"
# Medusa 2 (pinned, from scripts/medusa/package-lock.json) and PostgreSQL 15 are installed here,
# not by setup.sh: only the tests need them. One server for the whole run, stopped by its process
# ids whatever happens (scripts/medusa.sh).
# shellcheck source=lib/medusa-run.sh
source scripts/lib/medusa-run.sh
start_medusa_for_this_run

step "Rust tests (with a private system keyring: the Secret Service of GNOME Keyring)"
bash scripts/with-keyring.sh cargo test --workspace --locked

step "end to end: the desktop app in a real WebKitGTK window"
bash scripts/e2e.sh

#!/usr/bin/env bash
# Benchmarks, on this machine, side by side in one run:
# - the refund preview in the core (criterion), on a combined payment of 10 orders, 50 lines and
#   11 coupons (goal: at most 10 µs);
# - the whole `sellerdesk refund preview` process on the same payment (goal: at most 5 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null

payment=crates/sellerdesk-core/benches/data/combined-10-orders-50-lines.json
target_dir="${CARGO_TARGET_DIR:-target}"

cargo bench --locked -p sellerdesk-core --bench refund_preview -- --noplot 2>/dev/null \
  | grep -E '^refund_preview|time:'

cargo build --locked --release -p sellerdesk-cli --quiet
hyperfine --warmup 20 --runs 300 --shell=none \
  "$target_dir/release/sellerdesk refund preview --input $payment --json"

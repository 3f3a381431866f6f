#!/usr/bin/env bash
# Benchmarks, on this machine, side by side in one run. Prints a table of figures at the end.
#
# Refund preview: the core on a combined payment of 10 orders, 50 lines and 11 coupons (criterion;
# goal at most 10 µs) and the whole `sellerdesk refund preview` process on it (goal at most 5 ms).
# Codes: 1,000,000 codes generated, checked unique and durably committed (goal at most 1.5 s),
# exported to CSV (goal at most 0.5 s and 64 MB peak memory), the database size (goal at most
# 60 MB per million codes), and the npm package voucher-code-generator making 1,000,000 codes in
# memory, for the ratio. Sync: 100,000 codes pushed to the sandbox on loopback (goal at most 5 s) and
# 100,000 status changes pulled (goal at most 3 s).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null

target_dir="${CARGO_TARGET_DIR:-target}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
payment=crates/sellerdesk-core/benches/data/combined-10-orders-50-lines.json

cargo build --locked --release -p sellerdesk-cli --quiet
sellerdesk="$target_dir/release/sellerdesk"

echo "== criterion: refund preview and code generation in the core"
cargo bench --locked -p sellerdesk-core --bench refund_preview --bench code_generation -- --noplot 2>/dev/null \
  | grep -E '^[a-z_0-9]+/|time:' | tee "$work/criterion.txt"

echo "== the sellerdesk refund preview process"
hyperfine --warmup 20 --runs 300 --shell=none --export-json "$work/preview.json" \
  "$sellerdesk refund preview --input $payment --json"

echo "== 1,000,000 codes: generate and commit, then export"
fresh_database() {
  rm -f "$work"/codes.db*
  "$sellerdesk" --db "$work/codes.db" store add --id S1 --name Bench --currency USD >/dev/null
  "$sellerdesk" --db "$work/codes.db" --json coupon create --store S1 --title Bench \
    --discount 3.00 --min-purchase 20.00 --valid-from 2030-01-01T00:00:00Z \
    --valid-to 2030-12-31T00:00:00Z --quantity 1000000 \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["coupon_id"])' >"$work/coupon"
}
export -f fresh_database
export work sellerdesk
hyperfine --runs 5 --shell=bash --prepare fresh_database --export-json "$work/generate.json" \
  "$sellerdesk --db $work/codes.db codes generate --store S1 --coupon \$(cat $work/coupon) --count 1000000 --channel facebook"
coupon=$(cat "$work/coupon")
hyperfine --runs 5 --warmup 1 --shell=none --export-json "$work/export.json" \
  "$sellerdesk --db $work/codes.db codes export --store S1 --coupon $coupon --out $work/codes.csv"
/usr/bin/time -f '%M' -o "$work/export-rss" \
  "$sellerdesk" --db "$work/codes.db" codes export --store S1 --coupon "$coupon" --out "$work/codes.csv" >/dev/null

echo "== sync with the sandbox on loopback: push 100,000 codes, pull 100,000 status changes"
cargo bench --locked -p sellerdesk-facade --bench sync_throughput 2>/dev/null | tee "$work/sync.txt"

echo "== voucher-code-generator (npm), 1,000,000 codes in memory"
(cd benches/voucher-code-generator && npm ci --no-audit --no-fund --loglevel=error >/dev/null \
  && node generate.mjs) | tee "$work/voucher.json"

python3 - "$work" <<'PYTHON'
import json, re, sys
work = sys.argv[1]
mean = lambda name: json.load(open(f"{work}/{name}.json"))["results"][0]["mean"]
criterion = open(f"{work}/criterion.txt").read()
def criterion_time(label):
    match = re.search(re.escape(label) + r"\S*\s*\n?\s*time:\s*\[\S+ \S+ (\S+) (\S+)", criterion)
    return f"{match.group(1)} {match.group(2)}" if match else "?"
voucher = json.load(open(f"{work}/voucher.json"))["seconds"]
generate = mean("generate")
rows = [
    ("refund preview in the core (10 orders, 50 lines, 11 coupons)", "≤ 10 µs", criterion_time("refund_preview_10_orders_50_lines_11_coupons/core")),
    ("sellerdesk refund preview process", "≤ 5 ms", f"{mean('preview') * 1000:.2f} ms"),
    ("1,000,000 codes generated in memory (core, criterion)", "—", criterion_time("generate_1000000_codes_of_10_characters/thread_rng")),
    ("1,000,000 codes generated, unique, committed (whole process)", "≤ 1.5 s", f"{generate:.2f} s"),
    ("export of 1,000,000 codes to CSV (whole process)", "≤ 0.5 s", f"{mean('export'):.2f} s"),
    ("peak memory of that export", "≤ 64 MB", f"{int(open(f'{work}/export-rss').read()) / 1024:.0f} MB"),
    ("database size per 1,000,000 codes", "≤ 60 MB", f"{int(__import__('os').path.getsize(f'{work}/codes.db')) / 1e6:.1f} MB"),
    ("voucher-code-generator, 1,000,000 codes in memory only", "—", f"{voucher:.2f} s"),
    ("ratio: voucher-code-generator in memory / Seller Desk generated and committed", "—", f"{voucher / generate:.2f}×"),
]
sync = open(f"{work}/sync.txt").read()
for label, goal in (("push", "≤ 5 s"), ("pull", "≤ 3 s")):
    for line in sync.splitlines():
        if line.startswith(label):
            what, _, measured = line.rpartition(":")
            rows.append((f"sync: {what.strip()} (sandbox on loopback)", goal, measured.strip()))
print("\n| what | goal | measured |\n| --- | --- | --- |")
for what, goal, measured in rows:
    print(f"| {what} | {goal} | {measured} |")
PYTHON

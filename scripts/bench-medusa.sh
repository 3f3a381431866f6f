#!/usr/bin/env bash
# The Medusa upload benchmark (issue #12, item 6), side by side in one run against one real Medusa
# 2 server: codes uploaded per second by Seller Desk (`sellerdesk sync`, the whole process, which
# makes the coupon's campaign and one promotion per code, 8 in flight) against a plain client that
# only posts the same promotions (benches/medusa-upload/plain-client.mjs) at the best concurrency
# it finds among 1, 2, 4, 8 and 16. Goal: Seller Desk at least 90 % of the plain client's best rate.
#
# Order of the runs: the plain client's sweep (after a warm-up of the server), then Seller Desk,
# then the plain client again at concurrency 8 alone (Seller Desk's own concurrency) as a second
# reference taken after Seller Desk's run. Prints a markdown table at the end.
#
# Starts its own Medusa (scripts/medusa.sh start in a temporary folder; stopped and removed on
# exit) and runs itself under scripts/with-keyring.sh (a private Secret Service: `platform connect`
# keeps the key in the keyring) unless SELLERDESK_PRIVATE_KEYRING is set already.
#
# Env:   BENCH_CODES=1000            codes per run
#        PLAIN_CONCURRENCY=1,2,4,8,16   the plain client's sweep
#        PLAIN_WARMUP=50              promotions made before anything is measured
#        SELLERDESK_BIN=path          use this sellerdesk binary (no build); otherwise
#                                     ${CARGO_TARGET_DIR:-target}/release/sellerdesk, built first
#        SKIP_BUILD=1                 do not build; use the release binary as it is
#        BENCH_JSON=path              also write the figures there as JSON
# Needs: node >= 20.19, python3, curl, PostgreSQL 15 and Medusa's npm packages (scripts/medusa.sh
#        install), dbus-run-session, gnome-keyring-daemon and secret-tool (scripts/setup.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# A relative SELLERDESK_BIN is relative to where the script was called from.
if [ -n "${SELLERDESK_BIN:-}" ] && [ "${SELLERDESK_BIN#/}" = "$SELLERDESK_BIN" ]; then
  export SELLERDESK_BIN="$PWD/$SELLERDESK_BIN"
fi
# shellcheck source=lib/cargo.sh
source "$repo/scripts/lib/cargo.sh"
enter_repository "$repo"

if [ -z "${SELLERDESK_PRIVATE_KEYRING:-}" ]; then
  exec bash "$repo/scripts/with-keyring.sh" bash "$repo/scripts/bench-medusa.sh" "$@"
fi

say() { echo "bench-medusa: $*" >&2; }
die() { say "error: $*"; exit 1; }

codes="${BENCH_CODES:-1000}"
[[ "$codes" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CODES must be a positive whole number, not '$codes'"
for tool in node python3 curl; do
  command -v "$tool" >/dev/null || die "$tool is missing (see scripts/setup.sh)"
done

if [ -n "${SELLERDESK_BIN:-}" ]; then
  sellerdesk="$SELLERDESK_BIN"
else
  sellerdesk="${CARGO_TARGET_DIR:-target}/release/sellerdesk"
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "building sellerdesk-cli in release"
    cargo build --locked --release -p sellerdesk-cli --quiet
  fi
fi
[ -x "$sellerdesk" ] || die "no sellerdesk binary at $sellerdesk"
sellerdesk="$(cd "$(dirname "$sellerdesk")" && pwd)/$(basename "$sellerdesk")"
build="release build"
case "$sellerdesk" in */debug/*) build="DEBUG build" ;; esac

# Medusa's folder is a temporary folder of its own: as root, Postgres runs as another user, which
# must be able to reach it (medusa.sh opens DIR itself to it, not the folders above).
medusa_dir="$(mktemp -d -t sellerdesk-bench-medusa.XXXXXX)"
work="$(mktemp -d -t sellerdesk-bench-work.XXXXXX)"
cleanup() {
  bash "$repo/scripts/medusa.sh" stop "$medusa_dir" >/dev/null 2>&1 || true
  rm -rf "$medusa_dir" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting Medusa (25-30 s)"
bash "$repo/scripts/medusa.sh" start "$medusa_dir"
set -a
# shellcheck disable=SC1091
. "$medusa_dir/medusa.env"
set +a
say "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

plain="$repo/benches/medusa-upload/plain-client.mjs"

say "plain client: $codes promotions at each concurrency of ${PLAIN_CONCURRENCY:-1,2,4,8,16}"
# The plain client exits 1 when some requests failed (they are counted in the table), 2 or more
# when it could not run at all.
plain_client() {
  local out=$1 status=0
  shift
  node "$plain" "$@" | tee "$out" || status=$?
  if [ "$status" -eq 1 ]; then
    say "the plain client counted failed requests (see above and the errors column)"
  elif [ "$status" -ne 0 ]; then
    die "the plain client failed (exit status $status)"
  fi
}
plain_client "$work/plain.jsonl" --count "$codes" --concurrency "${PLAIN_CONCURRENCY:-1,2,4,8,16}" \
  --warmup "${PLAIN_WARMUP:-50}"

say "Seller Desk ($build, $sellerdesk): $codes codes through sellerdesk sync"
desk() { "$sellerdesk" --db "$work/desk.db" "$@"; }
desk store add --id MB --name Bench --currency USD >/dev/null
printf '%s\n' "$MEDUSA_SECRET_KEY" \
  | env -u SELLERDESK_API_KEY "$sellerdesk" --db "$work/desk.db" platform connect --store MB \
    --platform medusa --url "$MEDUSA_URL" >"$work/connect.txt" \
  || die "platform connect failed"
coupon="$(desk --json coupon create --store MB --title Bench --discount 5.00 --min-purchase 40.00 \
  --valid-from 2026-01-01T00:00:00Z --valid-to 2099-01-01T00:00:00Z --quantity 1000000 \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["coupon_id"])')"
desk codes generate --store MB --coupon "$coupon" --count "$codes" >/dev/null
load_before_sync="$(cut -d' ' -f1 /proc/loadavg)"
started=$EPOCHREALTIME
desk sync --store MB >"$work/sync.txt" 2>"$work/sync.err" || {
  cat "$work/sync.txt" "$work/sync.err" >&2
  die "sellerdesk sync failed"
}
ended=$EPOCHREALTIME
python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")' "$started" "$ended" \
  >"$work/sync.seconds"
say "sellerdesk sync took $(cat "$work/sync.seconds") s"

# What Medusa holds for the coupon's campaign: every code once, and when the first and the last
# promotion were made (the upload's span on the server, without the process around it).
node --input-type=module - "$coupon" "$codes" >"$work/sync-span.json" <<'NODE' || die "checking Seller Desk's upload failed"
const [couponId, expected] = [process.argv[2], Number(process.argv[3])];
const authorization = "Basic " + Buffer.from(`${process.env.MEDUSA_SECRET_KEY}:`).toString("base64");
const get = async (path) => {
  const answer = await fetch(process.env.MEDUSA_URL + path, { headers: { authorization } });
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
};
const { campaigns } = await get(`/admin/campaigns?campaign_identifier=${encodeURIComponent(couponId)}&fields=id`);
if (campaigns.length !== 1) throw new Error(`${campaigns.length} campaigns for coupon ${couponId}`);
const times = [];
const codes = new Set();
for (let offset = 0; ; offset += 1000) {
  const page = await get(`/admin/promotions?campaign_id=${campaigns[0].id}&fields=id,code,created_at&limit=1000&offset=${offset}`);
  for (const promotion of page.promotions) {
    codes.add(promotion.code);
    times.push(Date.parse(promotion.created_at));
  }
  if (page.promotions.length < 1000) break;
}
if (times.length !== expected || codes.size !== expected) {
  throw new Error(`Medusa holds ${times.length} promotions (${codes.size} codes) for the coupon, not ${expected}`);
}
times.sort((a, b) => a - b);
const span = (times[times.length - 1] - times[0]) / 1000;
console.log(JSON.stringify({ campaign_id: campaigns[0].id, promotions: times.length, span_seconds: span }));
NODE

say "plain client again, concurrency 8 alone"
plain_client "$work/plain-8.jsonl" --count "$codes" --concurrency 8 --warmup 0
say "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" "$codes" "$build" "$sellerdesk" "$load_before_sync" "${BENCH_JSON:-}" <<'PYTHON'
import json, sys
work, codes, build, binary, load, json_path = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
lines = [json.loads(line) for line in open(f"{work}/plain.jsonl") if line.strip()]
sweep = [line for line in lines if "concurrency" in line]
best = next(line for line in lines if "best_concurrency" in line)
alone = [json.loads(line) for line in open(f"{work}/plain-8.jsonl") if line.strip()][0]
seconds = float(open(f"{work}/sync.seconds").read())
span = json.load(open(f"{work}/sync-span.json"))
desk_rate = codes / seconds
ratio = desk_rate / best["best_per_second"]
met = ratio >= 0.90

def row(label, count, secs, rate, errors="0"):
    return f"| {label} | {count} | {secs:.2f} | {rate:.1f} | {desk_rate / rate * 100:.0f} % | {errors} |"

print()
print(f"Medusa upload, {codes} codes per run (sellerdesk: {build}, {binary}; load average {load} before the sync)")
print()
print("| run | codes | seconds | codes/s | Seller Desk / this | errors |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for line in sweep:
    mark = " (best)" if line["concurrency"] == best["best_concurrency"] else ""
    print(row(f"plain client, concurrency {line['concurrency']}{mark}", line["count"], line["seconds"],
              line["per_second"], line["errors"]))
print(f"| **Seller Desk** `sync`, whole process, 8 in flight ({build}) | {codes} | {seconds:.2f} | "
      f"{desk_rate:.1f} | 100 % | 0 |")
span_rate = (codes - 1) / span["span_seconds"] if span["span_seconds"] > 0 else float("inf")
print(f"| … of which the upload on the server (first to last promotion made) | {codes} | "
      f"{span['span_seconds']:.2f} | {span_rate:.1f} | — | — |")
print(row("plain client, concurrency 8 alone, after Seller Desk", alone["count"], alone["seconds"],
          alone["per_second"], alone["errors"]))
print()
print("| goal | measured | met |")
print("| --- | --- | --- |")
print(f"| Seller Desk ≥ 90 % of the plain client's best rate | {ratio * 100:.0f} % ({desk_rate:.1f} against "
      f"{best['best_per_second']:.1f} codes/s at concurrency {best['best_concurrency']}) | {'yes' if met else 'no'} |")
if json_path:
    json.dump({"codes": codes, "build": build, "plain": sweep, "plain_best": best, "plain_8_after": alone,
               "sellerdesk": {"seconds": seconds, "per_second": desk_rate, "server_span_seconds": span["span_seconds"]},
               "ratio": ratio, "goal_met": met}, open(json_path, "w"), indent=2)
PYTHON

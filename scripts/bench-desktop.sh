#!/usr/bin/env bash
# Desktop benchmarks (issue #5, item 7), side by side in one run with a minimal Tauri window built
# the same way (benches/minimal-window), since absolute figures drift on these machines:
#   - cold start to an interactive window with 1,000,000 codes in the database
#     (goal: within 0.2 s of the minimal window);
#   - memory of all the app's processes (the app, WebKitWebProcess, WebKitNetworkProcess) right
#     after that start: the physical pages resident in any of them, each counted once (goal:
#     within 10 % of the minimal window's); also the sums of their Pss and VmRSS;
#   - the coupons screen rendering its list of 1,000 coupons (goal: at most 100 ms).
#
# Builds both apps in release, seeds one database (a store, 1,000 coupons, one of them with
# 1,000,000 codes), then alternates the runs of both apps under one Xvfb; every run gets a fresh
# copy of that database and fresh HOME and XDG directories. Prints a markdown table at the end.
#
# Env:   BENCH_RUNS=5            runs of each app
#        BENCH_APPS=minimal,app  which apps to run (minimal alone needs no UI build nor seeding)
#        BENCH_SKIP_BUILD=1      reuse the last release builds
#        BENCH_JSON=path         also write every run's figures there
#        BENCH_SHADER_CACHE=warm the GPU driver's shader cache: warm (default; each app keeps its
#                                own, filled by three starts not measured, as from a seller's second
#                                start on) or cold (empty at every start, as at the very first)
#        WEBKIT_*                passed on to both apps, e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1
#                                (no GL compositing: under Xvfb it goes through Mesa's llvmpipe)
# Needs: Debian packages libwebkit2gtk-4.1-dev xvfb xauth, Node >= 20.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/cargo.sh
source "$repo/scripts/lib/cargo.sh"
enter_repository "$repo"

apps="${BENCH_APPS:-minimal,app}"
with_app=0
case ",$apps," in *,app,*) with_app=1 ;; esac

for tool in node xvfb-run; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench-desktop: $tool is missing (see scripts/setup.sh)" >&2
    exit 2
  fi
done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  packages=(-p sellerdesk-minimal-window)
  if ((with_app)); then
    echo "bench-desktop: building the UI" >&2
    [ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund --loglevel=error
    npm --prefix ui run build >/dev/null
    # The app with its benchmark hooks (the `bench` feature: src-tauri/src/bench.rs), and the
    # seeding tool.
    packages+=(-p sellerdesk-desktop --features sellerdesk-desktop/bench -p sellerdesk-bench-seed)
  fi
  echo "bench-desktop: building ${packages[*]//-p /} in release" >&2
  cargo build --release --locked "${packages[@]}"
fi

# Where cargo put the binaries, whatever CARGO_TARGET_DIR says (cargo resolves it for us).
target_dir="$(cargo_target_dir)"
release="$target_dir/release"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seed="$work/seed"
mkdir -p "$seed"

if ((with_app)); then
  # One database for the whole run-set, copied for each start: a store, 1,000 coupons, the first
  # with 1,000,000 codes. With settings.json saying "remote", the app opens it and starts no
  # sandbox, so no sync traffic disturbs the start.
  echo "bench-desktop: seeding a store, 1,000 coupons and 1,000,000 codes" >&2
  "$release/sellerdesk-bench-seed" --db "$seed/sellerdesk.db" --coupons 1000 --codes 1000000 >/dev/null
  printf '{"platform":"remote"}\n' >"$seed/settings.json"
fi

# One Xvfb for every run, on a free display, stopped when the runs end.
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  node scripts/bench-desktop.mjs \
  --runs "${BENCH_RUNS:-5}" --apps "$apps" --seed "$seed" --work "$work" \
  --minimal "$release/sellerdesk-minimal-window" --app "$release/sellerdesk-desktop" \
  --shader-cache "${BENCH_SHADER_CACHE:-warm}" \
  ${BENCH_JSON:+--json "$BENCH_JSON"}

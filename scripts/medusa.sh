#!/usr/bin/env bash
# A real Medusa 2 server (with its own PostgreSQL 15 cluster) on loopback, for Seller Desk's
# connector tests. Nothing leaves 127.0.0.1 and nothing outside DIR is written at run time.
#
#   scripts/medusa.sh install      npm ci in scripts/medusa when needed; postgresql-15 when missing
#   scripts/medusa.sh start DIR    fresh cluster in DIR/pg + migrated DB + admin user + Medusa on a
#                                  free port + seed data; writes DIR/medusa.env, DIR/*.pid, DIR/*.log
#   scripts/medusa.sh stop DIR     stops Medusa and Postgres started in DIR (idempotent)
#
# DIR/medusa.env holds KEY=VALUE lines: MEDUSA_URL, MEDUSA_SECRET_KEY, MEDUSA_PUBLISHABLE_KEY,
# MEDUSA_REGION_ID, MEDUSA_SALES_CHANNEL_ID, MEDUSA_STOCK_LOCATION_ID, MEDUSA_SHIPPING_OPTION_ID,
# MEDUSA_RETURN_SHIPPING_OPTION_ID, MEDUSA_VARIANT_IDS (comma separated; $30.00 tee, $12.50 mug),
# plus MEDUSA_ADMIN_EMAIL, MEDUSA_ADMIN_PASSWORD and MEDUSA_DATABASE_URL.
#
# Environment knobs: MEDUSA_HEALTH_TIMEOUT (seconds to wait for /health, default 180),
# PG_BIN (a folder with initdb/pg_ctl/postgres, default /usr/lib/postgresql/15/bin).
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP="$SCRIPTS/medusa"
PG_USER_SYSTEM=sellerdesk-pg
DB_NAME=medusa
HEALTH_TIMEOUT=${MEDUSA_HEALTH_TIMEOUT:-180}

say() { echo "medusa.sh: $*" >&2; }
# Seconds since T0 (set by cmd_start), for the progress lines.
at() { echo "[$((SECONDS - T0)) s]"; }
T0=$SECONDS
die() { echo "medusa.sh: error: $*" >&2; exit 1; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

sudo_cmd() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
  local d
  for d in "${PG_BIN:-}" /usr/lib/postgresql/15/bin; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && [ -x "$d/createdb" ] \
      && { echo "$d"; return 0; }
  done
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

check_node() {
  command -v node >/dev/null 2>&1 || die "node is not installed (Medusa 2.21 needs node ^20.19.0 or >=22.12.0)"
  node -e '
    const [a, b] = process.versions.node.split(".").map(Number)
    process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)' \
    || die "node $(node --version) is too old for Medusa 2.21 (needs ^20.19.0 or >=22.12.0)"
}

cmd_install() {
  check_node
  if ! pg_bin >/dev/null; then
    say "PostgreSQL 15 binaries missing: installing the Debian package postgresql-15"
    sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_cmd apt-get install -y -qq postgresql-15 >/dev/null
    pg_bin >/dev/null || die "postgresql-15 installed but initdb/pg_ctl not found in /usr/lib/postgresql/15/bin"
  fi
  # npm ci only when node_modules is missing or older than the lock file.
  if [ ! -f "$APP/node_modules/.package-lock.json" ] \
    || [ "$APP/package-lock.json" -nt "$APP/node_modules/.package-lock.json" ] \
    || [ ! -x "$APP/node_modules/.bin/medusa" ]; then
    say "installing Medusa's npm packages in scripts/medusa (npm ci, 1-2 minutes)"
    (cd "$APP" && nice -n 10 npm ci --no-audit --no-fund --loglevel=error) \
      || die "npm ci failed in $APP"
    touch "$APP/node_modules/.package-lock.json"
  fi
}

# Runs a command as the owner of the Postgres cluster (the dedicated system user when root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$PG_USER_SYSTEM" -- "$@")
  else
    "$@"
  fi
}

ensure_pg_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id -u "$PG_USER_SYSTEM" >/dev/null 2>&1; then
    say "creating system user $PG_USER_SYSTEM"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --user-group "$PG_USER_SYSTEM" || die "useradd $PG_USER_SYSTEM failed"
  fi
}

# True when the process PID is alive and its command line contains WORD.
alive() {
  local pid=$1 word=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$word"
}

start_postgres() {
  local dir=$1 bin=$2 attempt port
  local data="$dir/pg" log="$dir/postgres.log"
  mkdir -p "$data"
  touch "$log"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_USER_SYSTEM:" "$data" "$log"
    # The cluster's owner must be able to walk down to DIR/pg.
    if ! as_pg test -w "$data"; then
      chmod o+x "$dir" 2>/dev/null || true
      as_pg test -w "$data" \
        || die "user $PG_USER_SYSTEM cannot reach $data: give others search (x) permission on every folder above it"
    fi
  fi
  chmod 700 "$data"
  as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { tail -n 20 "$dir/initdb.log" >&2; die "initdb failed (log: $dir/initdb.log)"; }
  for attempt in 1 2 3; do
    port=$(free_port)
    # Loopback TCP only, no Unix socket; durability off (a throw-away test database).
    as_pg sh -c "cat >> '$data/postgresql.auto.conf'" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    if as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 2>&1; then
      PG_PORT=$port
      head -n 1 "$data/postmaster.pid" >"$dir/postgres.pid"
      return 0
    fi
    grep -q "could not bind\|Address already in use" "$log" || break
    say "Postgres port $port was taken; trying another"
  done
  tail -n 30 "$log" >&2
  die "Postgres did not start (log: $log)"
}

wait_health() {
  local url=$1 pid=$2 log=$3 deadline=$((SECONDS + HEALTH_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    curl -fsS -o /dev/null --max-time 5 "$url/health" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}

cmd_start() {
  local dir=${1:-}
  [ -n "$dir" ] || usage
  T0=$SECONDS
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/pg" ] || die "$dir/pg already exists: start needs a fresh DIR (run stop, then remove it)"
  if [ -f "$dir/medusa.pid" ] && alive "$(cat "$dir/medusa.pid")" medusa; then
    die "a Medusa server from $dir is still running (pid $(cat "$dir/medusa.pid"))"
  fi
  command -v curl >/dev/null 2>&1 || die "curl is missing"
  command -v python3 >/dev/null 2>&1 || die "python3 is missing (used to pick free ports)"

  cmd_install
  local bin
  bin=$(pg_bin) || die "PostgreSQL 15 binaries not found (run: scripts/medusa.sh install)"
  ensure_pg_user

  # Anything that fails from here on stops what was started.
  trap 'status=$?; if [ $status -ne 0 ]; then say "start failed; stopping what was started in $dir"; cmd_stop "$dir" || true; fi' EXIT
  trap 'exit 130' INT TERM

  say "$(at) starting PostgreSQL in $dir/pg"
  start_postgres "$dir" "$bin"
  local db_url="postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
  PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres "$bin/createdb" "$DB_NAME" \
    || die "createdb $DB_NAME failed on port $PG_PORT"

  mkdir -p "$dir/.config" "$dir/.npm-cache"
  export DATABASE_URL="$db_url"
  export NODE_ENV=production
  export XDG_CONFIG_HOME="$dir/.config"
  export npm_config_cache="$dir/.npm-cache"
  export MEDUSA_DISABLE_TELEMETRY=true
  export JWT_SECRET COOKIE_SECRET
  JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
  COOKIE_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
  local medusa="$APP/node_modules/.bin/medusa"

  say "$(at) migrating the database (log: $dir/migrate.log)"
  (cd "$APP" && "$medusa" db:migrate --execute-safe-links) >"$dir/migrate.log" 2>&1 \
    || { tail -n 30 "$dir/migrate.log" >&2; die "medusa db:migrate failed (log: $dir/migrate.log)"; }

  say "$(at) creating the admin user (log: $dir/user.log)"
  local email=admin@sellerdesk.test password
  # Hex only: a password starting with "-" would be read by `medusa user` as another option (and
  # the user made with some other password), one start in 64 with URL-safe base64.
  password=$(python3 -c 'import secrets; print(secrets.token_hex(18))')
  (cd "$APP" && "$medusa" user -e "$email" -p "$password") >"$dir/user.log" 2>&1 \
    || { tail -n 30 "$dir/user.log" >&2; die "medusa user failed (log: $dir/user.log)"; }

  local port pid url attempt rc
  for attempt in 1 2 3; do
    port=$(free_port)
    url="http://127.0.0.1:$port"
    say "$(at) starting Medusa on $url (log: $dir/medusa.log)"
    # setsid: its own process group, so stop can signal the whole group.
    (cd "$APP" && exec setsid "$medusa" start -H 127.0.0.1 -p "$port") >"$dir/medusa.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/medusa.pid"
    rc=0
    wait_health "$url" "$pid" "$dir/medusa.log" || rc=$?
    [ $rc -eq 0 ] && break
    if [ $rc -eq 2 ] && grep -q "EADDRINUSE" "$dir/medusa.log"; then
      say "port $port was taken; trying another"
      continue
    fi
    tail -n 40 "$dir/medusa.log" >&2
    if [ $rc -eq 2 ]; then die "Medusa exited before /health answered (log: $dir/medusa.log)"; fi
    die "Medusa did not answer $url/health within ${HEALTH_TIMEOUT}s (log: $dir/medusa.log)"
  done
  [ $rc -eq 0 ] || die "could not find a free port for Medusa"

  say "$(at) seeding (log: $dir/seed.log)"
  local seeded
  seeded=$(MEDUSA_URL="$url" MEDUSA_ADMIN_EMAIL="$email" MEDUSA_ADMIN_PASSWORD="$password" \
    node "$APP/seed.js" 2>"$dir/seed.log") \
    || { tail -n 20 "$dir/seed.log" >&2; die "seeding failed (log: $dir/seed.log)"; }

  {
    echo "MEDUSA_URL=$url"
    echo "$seeded"
    echo "MEDUSA_ADMIN_EMAIL=$email"
    echo "MEDUSA_ADMIN_PASSWORD=$password"
    echo "MEDUSA_DATABASE_URL=$db_url"
  } >"$dir/medusa.env.tmp"
  mv "$dir/medusa.env.tmp" "$dir/medusa.env"
  trap - EXIT INT TERM
  say "$(at) ready at $url (env: $dir/medusa.env)"
}

cmd_stop() {
  local dir=${1:-}
  [ -n "$dir" ] || usage
  [ -d "$dir" ] || { say "nothing to stop: $dir does not exist"; return 0; }
  dir=$(cd "$dir" && pwd)

  local pid i
  if [ -f "$dir/medusa.pid" ]; then
    pid=$(cat "$dir/medusa.pid")
    if alive "$pid" medusa; then
      say "stopping Medusa (pid $pid)"
      # The server runs in its own process group (setsid): signal the group when it leads one.
      if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then
        kill -TERM -- "-$pid" 2>/dev/null || true
      else
        kill -TERM "$pid" 2>/dev/null || true
      fi
      for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$pid" 2>/dev/null; then
        say "Medusa did not stop within 10 s: SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$dir/medusa.pid"
  fi

  if [ -f "$dir/pg/postmaster.pid" ] || [ -f "$dir/postgres.pid" ]; then
    local bin owner
    bin=$(pg_bin) || die "PostgreSQL 15 binaries not found; cannot stop the cluster in $dir/pg"
    if [ -f "$dir/pg/postmaster.pid" ]; then
      owner=$(stat -c %U "$dir/pg")
      say "stopping PostgreSQL ($dir/pg)"
      if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
        (cd / && runuser -u "$owner" -- "$bin/pg_ctl" -D "$dir/pg" -m fast -w -t 30 stop) >/dev/null 2>&1 || true
      else
        "$bin/pg_ctl" -D "$dir/pg" -m fast -w -t 30 stop >/dev/null 2>&1 || true
      fi
    fi
    if [ -f "$dir/postgres.pid" ]; then
      pid=$(cat "$dir/postgres.pid")
      if alive "$pid" postgres; then
        say "PostgreSQL (pid $pid) still running after pg_ctl stop: SIGQUIT"
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
      fi
      rm -f "$dir/postgres.pid"
    fi
  fi
  return 0
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac

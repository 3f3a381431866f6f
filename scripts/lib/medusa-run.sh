# Sourced by the scripts whose tests need a real Medusa server (scripts/test-all.sh, and
# scripts/e2e.sh when run on its own).

# Installs Medusa 2 and PostgreSQL 15 if missing, starts one server on loopback for the rest of the
# calling script, stops it by its process ids when that script exits (whatever happens), and
# exports SELLERDESK_MEDUSA_ENV, the file that says where it listens.
start_medusa_for_this_run() {
  bash scripts/medusa.sh install
  medusa_dir=$(mktemp -d)
  trap 'bash scripts/medusa.sh stop "$medusa_dir" >/dev/null 2>&1 || true; rm -rf "$medusa_dir"' EXIT
  bash scripts/medusa.sh start "$medusa_dir"
  export SELLERDESK_MEDUSA_ENV="$medusa_dir/medusa.env"
}

#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service (GNOME Keyring) on a private D-Bus session
# bus, so that tests exercise the real system keyring without ever touching the user's own.
set -euo pipefail

if [ -z "${SELLERDESK_PRIVATE_KEYRING:-}" ]; then
  exec dbus-run-session -- env SELLERDESK_PRIVATE_KEYRING=1 bash "$0" "$@"
fi

# The keyring's files go to a folder of their own, removed afterwards.
keyring_home=$(mktemp -d)
export XDG_DATA_HOME="$keyring_home"
printf '\n' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null; wait "$keyring_pid" 2>/dev/null; rm -rf "$keyring_home"' EXIT
# Wait until OUR daemon owns the Secret Service name before any client call: a call made earlier
# would make D-Bus start another, locked daemon, which then asks a prompter that is not there.
# NameHasOwner starts nothing. Then check that the default collection takes an item without a
# prompt (the daemon unlocks it from the password on stdin; a loaded machine can take seconds).
owns_secrets() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
answered=0
for _ in $(seq 300); do
  if owns_secrets &&
    printf 'probe' | secret-tool store --label 'Seller Desk probe' service sellerdesk-probe account probe >/dev/null 2>&1 &&
    secret-tool lookup service sellerdesk-probe account probe >/dev/null 2>&1; then
    secret-tool clear service sellerdesk-probe account probe >/dev/null 2>&1 || true
    answered=1
    break
  fi
  sleep 0.1
done
if [ "$answered" != 1 ]; then
  echo "with-keyring: the private Secret Service did not take an item within 30 s" >&2
  exit 1
fi
"$@"

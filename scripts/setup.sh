#!/usr/bin/env bash
# Installs what Seller Desk needs on a Debian machine, skipping whatever is already there:
# the Debian packages for building and driving the WebKitGTK window, tauri-driver, and the UI's
# npm packages. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config libwebkit2gtk-4.1-dev # building the desktop app
  xvfb webkit2gtk-driver xdotool imagemagick         # driving a real window in tests
  gnome-keyring dbus-daemon dbus-bin libsecret-tools # a private Secret Service for keyring tests
  hyperfine                                          # timing whole processes in benchmarks
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked --quiet
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

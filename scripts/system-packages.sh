#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, once. Idempotent: a second run only checks.
# Needs root (or sudo) and Debian's package registry; prints what it installs.
set -euo pipefail
PACKAGES=(sqlite3 postgresql chromium chromium-driver fonts-noto-cjk)  # sqlite3: inspecting DBs; postgresql: gateway store tests; chromium(+driver): browser tests; fonts-noto-cjk: readable Chinese in screenshots
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "[kefu setup] installing Debian packages: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

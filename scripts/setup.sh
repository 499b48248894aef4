#!/usr/bin/env bash
# Installs everything the platform and its tests need, then builds. Idempotent and
# quick when nothing changed. Debian packages are installed only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: iproute2 (network namespaces for partition tests), procps, wrk and nginx-light
# (gateway bench), mariadb-client (the `mariadb` CLI in SQL protocol tests), mariadb-server (the
# reference database for SQL tests and benches), redis-server (shared gateway rate-limit counters),
# unzip (agents extract .zip artifacts fetched for tasks).
DEBIAN_PACKAGES=(iproute2 procps wrk nginx-light mariadb-client mariadb-server redis-server unzip)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (need root to install): ${missing[*]}" >&2
  fi
fi

# npm dependencies: reinstall when the lock file is newer than the installed tree.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npx tsc -b

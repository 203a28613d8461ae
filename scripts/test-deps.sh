#!/usr/bin/env bash
# Installs what the test suite needs on Debian 12 (as root): real NUT (upsd + dummy-ups),
# Mosquitto, OpenSSH server and client, Chromium for the dashboard tests, and sqlite3.
# Packages already present are left alone, so a second run is quick and offline.
set -euo pipefail

packages=(nut-server nut-client mosquitto mosquitto-clients openssh-server openssh-client chromium sqlite3 openssl)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian starts these services on install; the tests run private instances on free ports.
for service in mosquitto nut-server nut-monitor ssh; do
  systemctl disable --now "$service" >/dev/null 2>&1 || true
done
mkdir -p /run/sshd

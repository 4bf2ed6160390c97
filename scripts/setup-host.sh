#!/usr/bin/env bash
# Installs the system packages cmp and its tests use, and Docker Compose v2 as a CLI plugin.
# Idempotent: skips apt when all are present and the plugin answers.
set -euo pipefail
PKGS=(diffutils curl iproute2 nftables iptables runc conmon tini busybox-static docker.io docker-compose docker-registry tmux zstd gcc libc6-dev buildah time)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-host: missing packages ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Docker Compose v2.26, the oracle test/oracle/ compares cmp with (Debian 12 packages only v1).
bash "$(dirname "$0")/install-compose-v2.sh"

#!/usr/bin/env bash
# Puts Docker Compose v2.26 where the docker CLI looks for plugins, as the live oracle the tests compare cmp
# with (test/oracle/). Debian 12 ships only compose v1; Debian 13 (trixie) packages v2.26 as one statically
# linked Go binary. We fetch that .deb from the host's own Debian mirror and unpack the binary by hand
# (dpkg -x), so no trixie package is ever installed and the system keeps its bookworm libraries.
# The trixie source stays configured at pin priority 50: apt sees it but never prefers it, so upgrades and
# installs still come from bookworm. Idempotent: a plugin that already answers 2.26 is left as it is.
set -euo pipefail
want=2.26
plugin_dir=${COMPOSE_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}  # overridable to try the script out
plugin=$plugin_dir/docker-compose

if [ -x "$plugin" ] && "$plugin" version 2>/dev/null | grep -q "version v\?$want\."; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-compose-v2: $plugin (Docker Compose $want) is missing; run as root to install it" >&2
  exit 1
fi

# The mirror this machine already uses for Debian (deb822 or one-line sources), else the default one.
mirror=$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
  } | grep -m1 '/debian/\?$' || true
)
mirror=${mirror:-http://deb.debian.org/debian}

# Skip adding a source if one for trixie is already there (a duplicate makes apt warn on every update).
if ! grep -qsw trixie /etc/apt/sources.list /etc/apt/sources.list.d/*; then
  cat > /etc/apt/sources.list.d/cmp-compose-oracle.sources <<SOURCES
# Added by cmp's scripts/install-compose-v2.sh, only to download docker-compose (v2) from trixie.
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
if ! grep -qs 'n=trixie' /etc/apt/preferences.d/*; then
  printf '%s\n' '# cmp: never install or upgrade from trixie; it is there for one download.' \
    'Package: *' 'Pin: release n=trixie' 'Pin-Priority: 50' > /etc/apt/preferences.d/cmp-compose-oracle
fi
apt-get update -qq

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq -o APT::Sandbox::User=root docker-compose/trixie)
dpkg -x "$work"/docker-compose_*.deb "$work/root"
install -D -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-compose" "$plugin"
"$plugin" version

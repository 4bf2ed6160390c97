#!/usr/bin/env bash
# The main job on a fresh Debian machine (as root): install what cmp needs, build it, and bring the
# quickstart stack (examples/quickstart) up on the embedded runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
npm ci --no-audit --no-fund
cd examples/quickstart
cmp() { node ../../dist/bin/cmp.js "$@"; }
cmp up -d --wait
cmp ps
echo
printf 'web answers on 127.0.0.1:8080: '
curl -fsS http://127.0.0.1:8080/ || true
cat <<'TXT'

The stack keeps running under its supervisor. From examples/quickstart, try:
  npx cmp ps                # containers, health, restart counts
  npx cmp logs -f api       # follow a service's output
  npx cmp exec -T api busybox wget -qO- http://store:6000/greeting
  npx cmp up --timeline     # when each service was created, started, healthy
  npx cmp graph             # what depends on what, and on which network
  npx cmp down -v           # remove everything, volumes included
TXT

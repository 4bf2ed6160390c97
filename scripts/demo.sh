#!/usr/bin/env bash
# The main job on a fresh Debian machine (as root): install what cmp needs, build it, and bring the
# quickstart stack (examples/quickstart) up on the embedded runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
npm ci --no-audit --no-fund
bash scripts/install.sh
export PATH="/usr/local/bin:$PATH" # as on Debian's default PATH, even under a sudo that trims it
hash -r
cd examples/quickstart
cmp up -d --wait
cmp ps
echo
printf 'web answers on 127.0.0.1:8080: '
curl -fsS http://127.0.0.1:8080/ || true
cat <<'TXT'

The stack keeps running under its supervisor. `cmp` is now on the PATH (scripts/install.sh linked
/usr/local/bin/cmp to this clone). From examples/quickstart, try:
  cmp ps                # containers, health, restart counts
  cmp logs -f api       # follow a service's output
  cmp exec -T api busybox wget -qO- http://store:6000/greeting
  cmp up --timeline     # when each service was created, started, healthy
  cmp graph             # what depends on what, and on which network
  cmp down -v           # remove everything, volumes included
TXT

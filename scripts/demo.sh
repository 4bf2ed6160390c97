#!/usr/bin/env bash
# The main job on a fresh Debian machine (as root): install what cmp needs, build it, and bring the
# quickstart stack up on the embedded runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
npm ci --no-audit --no-fund
cd examples/quickstart
CMP="node $(pwd)/../../dist/cli/main.js"
$CMP up -d --wait
$CMP ps
echo
echo "The stack is up. Try:"
echo "  curl http://127.0.0.1:8080/          # web -> api -> store, by service name"
echo "  cd examples/quickstart && npx cmp ps | npx cmp logs api | npx cmp up --timeline | npx cmp down -v"

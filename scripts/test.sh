#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) and runs every test: the README's test command.
# Tests that need root, namespaces, dockerd or a registry run here too; a skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
npm ci --no-audit --no-fund
bash scripts/install.sh
npm run lint
npm run typecheck
mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json || status=$?
node scripts/test-summary.mjs .test-results/vitest.json || status=1
exit "$status"

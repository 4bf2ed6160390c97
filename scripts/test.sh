#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) and runs every test: the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
npm ci --no-audit --no-fund
npm run lint
npm run typecheck
npx vitest run

#!/usr/bin/env bash
# The whole check, as CI runs it: test dependencies, a clean npm install, build, lint and every
# test (unit, integration against real upsd / Mosquitto / sshd / SQLite, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error(`Node.js >= 20 required, found ${process.version}`); process.exit(1); }'
bash scripts/test-deps.sh
npm ci --no-audit --no-fund
npm run build
npm run lint
npm run typecheck
npm test

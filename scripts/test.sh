#!/usr/bin/env bash
# The README's test command: installs what the tests need, then lints, type-checks and runs the suite
# with coverage. CI (.ci/run) runs exactly this on a fresh clone with ../shared beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

if [ ! -d ../shared/data ]; then
  echo "note: ../shared/data not found; tests that need the shared chat and label data will be skipped." >&2
fi

npm test

#!/usr/bin/env bash
# The README's test command: installs what the tests need, then lints, type-checks and runs the suite
# with coverage. CI (.ci/run) runs exactly this on a fresh clone with ../shared beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

# Headless Chromium for the overlay/dashboard browser tests (test/server/browser.test.ts).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    # A failed install must not stop the suite: the browser tests then skip with their own message.
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium) \
      || echo "warning: could not install chromium; the browser tests will be skipped." >&2
  else
    echo "note: /usr/bin/chromium is missing and we are not root; the browser tests will be skipped (install the Debian 'chromium' package to run them)." >&2
  fi
fi

# A real NATS JetStream server for the scale-out integration tests (test/broker/scale-out.test.ts).
if ! command -v nats-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    # A failed install must not stop the suite: the broker integration tests then skip with their own message.
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nats-server) \
      || echo "warning: could not install nats-server; the broker integration tests will be skipped." >&2
  else
    echo "note: nats-server is missing and we are not root; the broker integration tests will be skipped (install the Debian 'nats-server' package to run them)." >&2
  fi
fi

if [ ! -d ../shared/data ]; then
  echo "note: ../shared/data not found; tests that need the shared chat and label data will be skipped." >&2
fi

npm test

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

# Graphviz renders docs/architecture.svg (test/docs/generated-docs.test.ts checks it has not drifted); promtool, from
# Debian's prometheus package, checks the alert rules (test/docs/ops-files.test.ts).
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client) # signs and verifies the release bundle (test/release)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server) # NATS JetStream for the scale-out integration tests (test/broker)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}") \
      || echo "warning: could not install ${missing[*]}; the tests that need them will be skipped." >&2
  else
    echo "note: ${missing[*]} missing and we are not root; the tests that need them will be skipped (install the Debian packages)." >&2
  fi
fi

if [ ! -d ../shared/data ]; then
  echo "note: ../shared/data not found; tests that need the shared chat and label data will be skipped." >&2
fi

npm test

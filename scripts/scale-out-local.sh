#!/usr/bin/env bash
# Starts nats-server with JetStream and N chatstream workers on this machine (docs/scale-out.md), then waits;
# Ctrl-C stops the workers (they hand their channels back) and the server. Feed it from another terminal:
#   CHATSTREAM_BROKER=nats://127.0.0.1:4222 npx chatstream ingest -i chat.jsonl --speed 1
#   CHATSTREAM_BROKER=nats://127.0.0.1:4222 npx chatstream serve --serve 8080
# Usage: scripts/scale-out-local.sh [WORKERS=3] [PORT=4222]
set -euo pipefail
cd "$(dirname "$0")/.."

workers="${1:-3}"
port="${2:-4222}"
command -v nats-server >/dev/null || { echo "nats-server is not installed (Debian package nats-server)" >&2; exit 2; }
store="$(mktemp -d "${TMPDIR:-/tmp}/chatstream-nats.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  rm -rf "$store"
}
trap cleanup EXIT INT TERM

nats-server -js -a 127.0.0.1 -p "$port" -sd "$store" &
pids+=("$!")
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# Workers stop after the server in cleanup's order reversed: start them after it, stop them first.
cli=(node dist/cli.js)
[ -f dist/cli.js ] || cli=(node --import tsx src/cli.ts)
for i in $(seq "$workers"); do
  CHATSTREAM_BROKER="nats://127.0.0.1:$port" "${cli[@]}" worker --worker-id "local-$i" --stats-every 10s &
  pids=("$!" "${pids[@]}")
done
echo "nats://127.0.0.1:$port: JetStream in $store, $workers worker(s); Ctrl-C to stop" >&2
wait

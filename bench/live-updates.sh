#!/usr/bin/env bash
# Live updates benchmark: an environment page in Chromium with Backstage signals against the same
# page polling (its signals WebSocket refused): the time from a committed state change to the page
# showing it, and the requests an open page makes. Starts the portal as scripts/start serves it (on
# a fresh SQLite folder; ports 3000 and 7007 must be free) and stops it afterwards. Appends a dated
# section to docs/benchmarks.md. About 5 minutes on two cores.
#
#   bench/live-updates.sh                                 10 rounds a method, 30 s idle
#   BENCH_ROUNDS=5 BENCH_IDLE_SECONDS=60 bench/live-updates.sh
#   BENCH_OUT=/tmp/bench.md bench/live-updates.sh         writes the section there, not to docs/
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps && ensure_tools && ensure_chromium
source "$ROOT/scripts/lib/gitea.sh"
ensure_forge || { echo "bench: the local forge did not start" >&2; exit 1; }
cd "$ROOT"
for port in 3000 7007; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port is in use; stop whatever serves it (a running scripts/start?)" >&2
    exit 1
  fi
done
export PORTAL_DATA_DIR
PORTAL_DATA_DIR=$(mktemp -d)
LOG=$(mktemp)
setsid scripts/start > "$LOG" 2>&1 &
pid=$!
trap 'kill -TERM -- "-$pid" 2>/dev/null || true; sleep 3; kill -KILL -- "-$pid" 2>/dev/null || true; rm -rf "$PORTAL_DATA_DIR"' EXIT
for url in http://localhost:7007/.backstage/health/v1/readiness http://localhost:7007; do
  deadline=$(( $(date +%s) + 900 ))  # a first start builds the app
  until curl -fs -o /dev/null "$url"; do
    if [ "$(date +%s)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: the portal did not answer $url; its log:" >&2; tail -n 40 "$LOG" >&2; exit 1
    fi
    sleep 2
  done
done
cd "$ROOT/packages/backend"
CI=true PLAYWRIGHT_URL=http://localhost:7007 yarn backstage-cli package test --roots "$PWD/bench" \
  --testMatch '**/bench/liveUpdates.bench.ts' --testTimeout 3600000 --verbose=false

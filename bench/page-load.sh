#!/usr/bin/env bash
# Page load benchmark: the catalog, a component page, its DORA tab, the Environments page and
# Engineering metrics in Chromium, with the built app that `scripts/start` serves by default and
# with the development server of `scripts/start --dev`: first contentful paint and the time until
# the page's data has rendered, cold and warm (p50). Starts each portal itself on a fresh SQLite
# folder (ports 3000 and 7007 must be free) and stops it. Appends a dated section to
# docs/benchmarks.md. About 10 minutes on two cores.
#
#   bench/page-load.sh                          both, 5 warm loads a page
#   BENCH_MODES=built BENCH_ROUNDS=9 bench/page-load.sh
#   BENCH_OUT=/tmp/bench.md bench/page-load.sh  writes the section there, not to docs/
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps && ensure_tools && ensure_chromium
source "$ROOT/scripts/lib/gitea.sh"
ensure_forge || { echo "bench: the local forge did not start" >&2; exit 1; }
for port in 3000 7007; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port is in use; stop whatever serves it (a running scripts/start?)" >&2
    exit 1
  fi
done
cd "$ROOT/packages/backend"
CI=true yarn backstage-cli package test --roots "$PWD/bench" \
  --testMatch '**/bench/pageLoad.bench.ts' --testTimeout 5400000 --verbose=false

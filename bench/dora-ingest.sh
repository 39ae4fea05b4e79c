#!/usr/bin/env bash
# DORA ingest benchmark: signed GitHub webhook deliveries into the dora plugin, running on
# Backstage's production services in a process of its own, on PostgreSQL (events a second), against
# a bare INSERT of the same raw rows. Appends a dated section to docs/benchmarks.md.
#
#   bench/dora-ingest.sh                                  9 rounds of 2000 events, 16 in flight
#   BENCH_EVENTS=10000 BENCH_CONCURRENCY=32 BENCH_ROUNDS=5 bench/dora-ingest.sh
#   BENCH_OUT=/tmp/bench.md bench/dora-ingest.sh        writes the section there, not to docs/
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps
export PORTAL_TEST_PG_URL="${PORTAL_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
cd "$ROOT/plugins/dora-backend"
exec node --require @backstage/cli-node/config/nodeTransform.cjs bench/ingest.ts

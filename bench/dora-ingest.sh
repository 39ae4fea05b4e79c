#!/usr/bin/env bash
# DORA ingest benchmark: signed GitHub webhook deliveries into the dora plugin on PostgreSQL (events
# a second) against a bare INSERT of the same raw rows. Appends a dated section to docs/benchmarks.md.
#
#   bench/dora-ingest.sh                                  3 rounds of 4000 events, 16 in flight
#   BENCH_EVENTS=10000 BENCH_CONCURRENCY=32 bench/dora-ingest.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${PORTAL_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
cd "$ROOT/plugins/dora-backend"
CI=true exec yarn backstage-cli package test --testMatch '**/bench/ingest.bench.ts' --testTimeout 3600000 --verbose=false

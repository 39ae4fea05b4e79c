#!/usr/bin/env bash
# DORA metrics benchmark: the metrics query for one team over 90 days with 1 million deployments and
# 5 million changes in PostgreSQL (generated with generate_series), against one indexed count over
# the same window. Appends a dated section to docs/benchmarks.md. A few minutes on two cores.
#
#   bench/dora-metrics.sh
#   BENCH_DEPLOYMENTS=200000 bench/dora-metrics.sh       a smaller run
#   BENCH_OUT=/tmp/bench.md bench/dora-metrics.sh       writes the section there, not to docs/
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${PORTAL_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
cd "$ROOT/plugins/dora-backend"
CI=true exec yarn backstage-cli package test --roots "$PWD/bench" --testMatch '**/bench/metrics.bench.ts' --testTimeout 3600000 --verbose=false

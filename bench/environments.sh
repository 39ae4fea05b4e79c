#!/usr/bin/env bash
# Environments benchmark: postgres-sandbox request-to-active and teardown through the portal vs a
# plain `tofu init && tofu apply` / `tofu destroy` of the same module, and the throughput of 20
# concurrent requests. Appends a dated section to docs/benchmarks.md.
#
#   bench/environments.sh                    5 rounds
#   BENCH_ROUNDS=10 bench/environments.sh
#   BENCH_OUT=/tmp/bench.md bench/environments.sh       writes the section there, not to docs/
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps && ensure_tools
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${PORTAL_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
cd "$ROOT/plugins/environments-backend"
CI=true exec yarn backstage-cli package test --roots "$PWD/bench" --testMatch '**/bench/*.bench.ts' --testTimeout 3600000 --verbose=false

#!/usr/bin/env bash
# OPA permissions benchmark: authorize batches (portal OPA policy vs allow-all, vs the community OPA
# wrapper) and a 1,000-entity catalog list under the conditional read policy vs allow-all.
# Appends a dated section to docs/benchmarks.md.
#
#   bench/permissions.sh                      default rounds
#   BENCH_ROUNDS=1000 bench/permissions.sh    more rounds
#   BENCH_OUT=/tmp/bench.md bench/permissions.sh        writes the section there, not to docs/
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps && ensure_tools
cd "$ROOT/plugins/permission-backend-module-opa"
CI=true exec yarn backstage-cli package test --roots "$PWD/bench" --testMatch '**/bench/*.bench.ts' --testTimeout 3600000 --verbose=false

#!/usr/bin/env bash
# Scale benchmarks (issue 14): the same measurements on generated organisations of 1, 100 and
# 1,000 times the example's size, each against its own baseline in the same run, on SQLite and
# PostgreSQL. Appends one dated section to docs/benchmarks.md: a table per measurement, a column
# per size. The 1,000× size loads 17,000 entities through the catalog (several minutes each engine).
#
#   bench/scale.sh                          every part at 1×, 100× and 1,000×
#   bench/scale.sh --scale 1000             one size alone (or --scale 1,100)
#   bench/scale.sh --part catalog           one part: catalog (the catalog list, an entity page, a
#                                           search query, permission batches, memory), environments, dora
#   BENCH_ENGINES=POSTGRES_15 bench/scale.sh  one database engine (SQLITE_3 or POSTGRES_15)
#   BENCH_OUT=/tmp/bench.md bench/scale.sh  writes the section there, not to docs/
#   BENCH_SCALE_RESULTS=r.jsonl bench/scale.sh --scale 1000   keeps the records in r.jsonl, joined with
#                                           those it already holds (sizes run at different times)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"

scales=1,100,1000
parts=(catalog environments dora)
chosen=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scales="$2"; shift 2 ;;
    --part) chosen+=("$2"); shift 2 ;;
    *) echo "usage: bench/scale.sh [--scale 1,100,1000] [--part catalog|environments|dora]..." >&2; exit 2 ;;
  esac
done
[ ${#chosen[@]} -gt 0 ] && parts=("${chosen[@]}")

ensure_node && ensure_deps && ensure_tools
export BENCH_SCALES="$scales"
engines="${BENCH_ENGINES:-SQLITE_3,POSTGRES_15}"
# The records of every part; a file the caller names is kept (and may hold earlier records to join).
export BENCH_SCALE_RESULTS
keep_records="${BENCH_SCALE_RESULTS:+1}"
BENCH_SCALE_RESULTS="${BENCH_SCALE_RESULTS:-$(mktemp --suffix=.jsonl)}"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${PORTAL_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1

run_part() {
  local dir="$1" match="$2"
  (cd "$ROOT/$dir" && CI=true yarn backstage-cli package test --roots "$PWD/bench" \
    --testMatch "**/bench/$match" --testTimeout 21600000 --verbose=false)
}
failed=()
for part in "${parts[@]}"; do
  echo "=== scale: $part at ${scales}×"
  case "$part" in
    catalog)
      # a process per size and engine, so that each one's memory is its own
      for scale in ${scales//,/ }; do
        for engine in ${engines//,/ }; do
          BENCH_SCALES=$scale BENCH_ENGINES=$engine run_part packages/backend 'scale/catalog.bench.ts' \
            || failed+=("$part $scale× $engine")
        done
      done ;;
    environments) run_part plugins/environments-backend 'scale.bench.ts' || failed+=("$part") ;;
    dora) run_part plugins/dora-backend 'scale.bench.ts' || failed+=("$part") ;;
    *) echo "bench: unknown part '$part'" >&2; exit 2 ;;
  esac
done
[ -s "$BENCH_SCALE_RESULTS" ] || { echo "bench: no part recorded anything" >&2; exit 1; }
node --require "$ROOT/node_modules/@backstage/cli-node/config/nodeTransform.cjs" \
  "$ROOT/packages/backend/bench/scale/report.ts" "$BENCH_SCALE_RESULTS" "${parts[*]}"
[ -n "$keep_records" ] || rm -f "$BENCH_SCALE_RESULTS"
[ ${#failed[@]} -eq 0 ] || { echo "bench: parts that failed: ${failed[*]}" >&2; exit 1; }

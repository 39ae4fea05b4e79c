#!/usr/bin/env bash
# Foundation baseline: set-up time (cold and warm), test suite time, the gzip size of the app's
# JavaScript bundle, and the backend's idle RSS. Writes a dated section to docs/benchmarks.md.
#
#   bench/foundation.sh            everything (the cold set-up empties Go and Yarn caches: ~10+ min)
#   bench/foundation.sh --no-cold  skip the cold set-up
#
# "Cold" is a fresh clone with empty Yarn and Go caches and no .tools/ (Node, OPA, OpenTofu are
# fetched and built again); "warm" is the second run in the same clone. The ratio warm/cold is the
# baseline later set-up work is held to. Timings are wall-clock on a shared machine: read them as
# a guide, and compare ratios measured in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/docs/benchmarks.md"   # setup.sh, sourced in the clone below, redefines ROOT
COLD=1; [ "${1:-}" = "--no-cold" ] && COLD=0

work=$(mktemp -d /tmp/portal-bench.XXXXXX)
cleanup() {
  [ -n "${backend_pid:-}" ] && kill -TERM -- "-$backend_pid" 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "bench: cloning $(git -C "$ROOT" rev-parse --short HEAD) into $work/clone"
git clone -q "$ROOT" "$work/clone"
cd "$work/clone"

if [ "$COLD" = 1 ]; then
  export YARN_CACHE_FOLDER="$work/yarn-cache" GOMODCACHE="$work/gomod" GOCACHE="$work/gocache"
  t=$(now); scripts/start --check > "$work/cold.log" 2>&1; cold=$(secs "$t" "$(now)")
  echo "bench: cold set-up ${cold}s"
else
  # Reuse the machine's caches and this checkout's tools, so the first run is only "fresh clone".
  cp -a "$ROOT/.tools" .tools
  scripts/start --check > "$work/first.log" 2>&1
  cold="n/a"
fi
t=$(now); scripts/start --check > "$work/warm.log" 2>&1; warm=$(secs "$t" "$(now)")
echo "bench: warm set-up ${warm}s"
grep -c 'skipped' "$work/warm.log" | xargs -I{} echo "bench: warm run skipped {} set-up steps"

source scripts/lib/setup.sh >/dev/null
ensure_node >/dev/null; ensure_tools >/dev/null

t=$(now); scripts/test > "$work/test.log" 2>&1 || { tail -n 40 "$work/test.log"; echo "bench: scripts/test failed" >&2; exit 1; }
testtime=$(secs "$t" "$(now)")
echo "bench: test suite ${testtime}s ($(tail -n 1 "$work/test.log"))"

# The app's JavaScript, as the browser downloads it (gzip -9 as a stand-in for the server's gzip).
js_raw=0; js_gz=0
for f in packages/app/dist/static/*.js; do
  js_raw=$(( js_raw + $(stat -c %s "$f") ))
  js_gz=$(( js_gz + $(gzip -9c "$f" | wc -c) ))
done
echo "bench: app JS $((js_raw / 1024)) KiB raw, $((js_gz / 1024)) KiB gzip"

# Backend idle RSS: the backend alone (yarn workspace backend start), 30 s after readiness.
export PORTAL_DATA_DIR="$work/data"; mkdir -p "$PORTAL_DATA_DIR/sqlite"
setsid yarn workspace backend start > "$work/backend.log" 2>&1 &
backend_pid=$!
deadline=$(( $(date +%s) + 240 ))
until curl -fsS -o /dev/null http://localhost:7007/.backstage/health/v1/readiness; do
  [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$work/backend.log"; echo "bench: backend not ready" >&2; exit 1; }
  sleep 2
done
sleep 30
# The process group holds yarn, backstage-cli and the backend's node process: the backend is the
# largest of them.
rss_kb=$(ps -o rss= -p "$(pgrep -s "$backend_pid" | paste -sd, -)" | awk '{s+=$1} END {print s}')
main_rss_kb=$(ps -o rss= -p "$(pgrep -s "$backend_pid" | paste -sd, -)" | sort -n | tail -n 1 | tr -d ' ')
echo "bench: backend idle RSS $((rss_kb / 1024)) MiB (process group), $((main_rss_kb / 1024)) MiB (backend process)"
kill -TERM -- "-$backend_pid" 2>/dev/null || true; backend_pid=""

ratio="n/a"; [ "$cold" != "n/a" ] && ratio=$(awk -v w="$warm" -v c="$cold" 'BEGIN { printf "%.3f", w / c }')
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)"
[ -f "$OUT" ] || printf '# Benchmarks\n\nEach section is one run of a script in bench/, newest last.\n' > "$OUT"
{
  printf '\n## Foundation baseline, %s (commit %s)\n\n' "$(date -u +%Y-%m-%d)" "$(git rev-parse --short HEAD)"
  printf 'Machine: %s. Command: `bench/foundation.sh%s`.\n\n' "$machine" "$([ "$COLD" = 1 ] || echo ' --no-cold')"
  printf '| measure | value |\n| --- | --- |\n'
  printf '| set-up, cold (fresh clone, empty Yarn and Go caches) | %s s |\n' "$cold"
  printf '| set-up, warm (second run, everything skipped) | %s s |\n' "$warm"
  printf '| warm / cold set-up ratio | %s |\n' "$ratio"
  printf '| test suite (`scripts/test`, warm) | %s s |\n' "$testtime"
  printf '| app JavaScript bundle, gzip -9 | %s KiB (%s KiB raw) |\n' "$((js_gz / 1024))" "$((js_raw / 1024))"
  printf '| backend idle RSS, 30 s after readiness | %s MiB (process group %s MiB) |\n' "$((main_rss_kb / 1024))" "$((rss_kb / 1024))"
} >> "$OUT"
echo "bench: wrote docs/benchmarks.md"

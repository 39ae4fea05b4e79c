#!/usr/bin/env bash
# Golden path benchmark: the node-service template through the portal's scaffolder (no database),
# from "Create" until the repository and the catalog entity exist, against the same work done
# directly (Gitea's API, git push over HTTP, the catalog API), with the catalog holding the example
# organisation and then 70 more components. Starts the local forge (and stops it afterwards when it
# was not running); deletes the repositories it created. Appends a dated section to
# docs/benchmarks.md. A few minutes on two cores.
#
#   bench/golden-path.sh                          5 runs of each, both catalog sizes
#   BENCH_ROUNDS=9 BENCH_SIZES=0 bench/golden-path.sh     9 runs, the example organisation only
#   BENCH_OUT=/tmp/bench.md bench/golden-path.sh        writes the section there, not to docs/
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
ensure_node && ensure_deps && ensure_tools || exit 1
source "$ROOT/scripts/lib/gitea.sh"
_gitea_env; _gitea_answers && forge_was_running=1 || forge_was_running=0
ensure_forge || { echo "bench: the local forge did not start" >&2; exit 1; }
[ "$forge_was_running" = 1 ] || trap stop_gitea EXIT
export PORTAL_TEST_PG_URL="${PORTAL_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
cd "$ROOT/plugins/scaffolder-backend-module-golden-path"
CI=true yarn backstage-cli package test --roots "$PWD/bench" --testMatch '**/bench/*.bench.ts' --testTimeout 3600000 --verbose=false

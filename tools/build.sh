#!/usr/bin/env bash
# Builds the Go programs pinned under tools/ into <repo>/.tools/ (see tools/README.md).
#
#   tools/build.sh [--force] [TOOL...]      TOOL: opa, tofu, terraform-provider-time
#
# Each tool has its own Go module, tools/<tool>/go.mod, whose `tool` directive and
# require line are the one source of truth for its version. A tool is rebuilt only
# when its stamp file (.tools/bin/.<tool>.version) no longer matches the pinned
# version, the Go toolchain, the module files or the build flags, or when its
# output is missing; otherwise it is skipped. Only the Go module proxy is needed.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$TOOLS_DIR/.." && pwd)"
OUT_DIR="$REPO_ROOT/.tools"
BIN_DIR="$OUT_DIR/bin"
PROVIDER_MIRROR="$OUT_DIR/providers"
# Hostname OpenTofu uses for providers written as "hashicorp/NAME".
PROVIDER_HOST="registry.opentofu.org"

ALL_TOOLS=(opa tofu terraform-provider-time)

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
  esac
}
tool_package() {
  case "$1" in
    opa) echo github.com/open-policy-agent/opa ;;
    tofu) echo github.com/opentofu/opentofu/cmd/tofu ;;
    terraform-provider-time) echo github.com/hashicorp/terraform-provider-time ;;
  esac
}
tool_tags() {
  case "$1" in
    # As OPA's release builds: Wasm engine included (pure Go, wazero).
    opa) echo opa_wasm ;;
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
  local tool="$1" module version
  module="$(tool_module "$tool")"
  version="$(cd "$TOOLS_DIR/$tool" && "$GO" list -m -f '{{.Version}}' "$module")" \
    || die "could not read the pinned version of $module from tools/$tool/go.mod"
  [[ -n "$version" ]] || die "no version of $module pinned in tools/$tool/go.mod"
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
for tool in "${selected[@]}"; do
  build_tool "$tool"
done
write_tofu_rc
log "done in $((SECONDS - total_start))s"

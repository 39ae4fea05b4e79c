#!/usr/bin/env bash
# Gitea, the local git forge (and OIDC provider): start, stop and provision it for development and
# tests. Source this file after scripts/lib/setup.sh and run tools/build.sh first (ensure_tools), which
# builds .tools/bin/gitea and its static root .tools/share/gitea; see tools/README.md.
#
#   start_gitea      write $GITEA_DATA_DIR/app.ini and run `gitea web` in the background on
#                    127.0.0.1:$GITEA_PORT (default 3300); "(skipped)" when it already runs with that
#                    configuration, restarted when the configuration changed
#   provision_gitea  the portal-admin account and its API token ($GITEA_DATA_DIR/portal-token),
#                    the people of catalog/org.yaml and the acme organisation with a team per catalog
#                    team (scripts/lib/gitea-provision.js), and the portal as an OAuth2 application,
#                    the OIDC client people sign in with ($GITEA_DATA_DIR/oidc-client.json;
#                    scripts/lib/gitea-oauth-app.js); idempotent
#   stop_gitea       stop it ("(skipped)" when it does not run)
#
#   ensure_forge     start_gitea and provision_gitea, then export GITEA_URL and GITEA_TOKEN (the
#                    portal-admin token, which app-config.yaml's integrations.gitea reads) and
#                    AUTH_OIDC_METADATA_URL, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET (its
#                    auth.providers.oidc) for the backend and the tests
#
# Settings (read on each call): GITEA_DATA_DIR (default $ROOT/.data/gitea; not under PORTAL_DATA_DIR,
# so a run with a fresh portal data folder, as scripts/e2e's, keeps the one forge), GITEA_PORT (3300),
# GITEA_START_TIMEOUT (60 seconds), GITEA_RUN_USER (portal-forge; used only when running as root),
# GITEA_OIDC_REDIRECT_URIS (space-separated; default: the development backend's OIDC callback,
# http://localhost:7007/api/auth/oidc/handler/frame).
# Gitea refuses to run as root: as root, it runs as that system user, created on first use.
# Gitea keeps running after the calling script ends; call stop_gitea (e.g. in a trap) to stop it.

if [ -z "${ROOT:-}" ]; then
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi

gitea_say() { printf 'gitea: %s\n' "$*"; }
# Prints only (each caller returns 1 itself), so that it behaves the same under `set -e`.
gitea_error() { printf 'gitea: error: %s\n' "$*" >&2; }

# The paths and settings, recomputed on every call so that the caller's environment wins.
_gitea_env() {
  GITEA_PORT="${GITEA_PORT:-3300}"
  GITEA_DIR="${GITEA_DATA_DIR:-$ROOT/.data/gitea}"
  GITEA_BIN="$ROOT/.tools/bin/gitea"
  GITEA_STATIC="$ROOT/.tools/share/gitea"
  GITEA_INI="$GITEA_DIR/app.ini"
  GITEA_PID_FILE="$GITEA_DIR/gitea.pid"
  GITEA_LOG="$GITEA_DIR/log/gitea.log"
  GITEA_TOKEN_FILE="$GITEA_DIR/portal-token"
  GITEA_OIDC_CLIENT_FILE="$GITEA_DIR/oidc-client.json"
  GITEA_API="http://127.0.0.1:$GITEA_PORT/api/v1"
  if [ "$(id -u)" = "0" ]; then
    GITEA_USER="${GITEA_RUN_USER:-portal-forge}"
  else
    GITEA_USER="$(id -un)"
  fi
}

# The command prefix that runs a command as the Gitea user with a clean environment (nothing of the
# caller's environment leaks in, and Gitea's HOME is its own): sets the array _GITEA_AS_USER.
_gitea_user_prefix() {
  local path="/usr/local/bin:/usr/bin:/bin" git_dir
  git_dir="$(dirname "$(command -v git)")"
  [[ ":$path:" == *":$git_dir:"* ]] || path="$git_dir:$path"
  _GITEA_AS_USER=()
  if [ "$(id -u)" = "0" ]; then
    _GITEA_AS_USER=(setpriv "--reuid=$GITEA_USER" "--regid=$GITEA_USER" --init-groups --)
  fi
  _GITEA_AS_USER+=(env -i "PATH=$path" "HOME=$GITEA_DIR/home" "USER=$GITEA_USER" "LANG=C.UTF-8"
    "GITEA_WORK_DIR=$GITEA_DIR" "GITEA_CUSTOM=$GITEA_DIR/custom")
}
_gitea_as_user() {
  _gitea_user_prefix
  "${_GITEA_AS_USER[@]}" "$@"
}

# `gitea` run as the Gitea user against our app.ini, from the static root (where
# `gitea restore-repo` finds its schemas).
_gitea_cli() {
  (cd "$GITEA_STATIC" && _gitea_as_user "$GITEA_BIN" --config "$GITEA_INI" --work-path "$GITEA_DIR" "$@")
}

# The system user Gitea runs as when we are root, created once.
_gitea_ensure_user() {
  [ "$(id -u)" = "0" ] || return 0
  id -u "$GITEA_USER" >/dev/null 2>&1 && return 0
  command -v useradd >/dev/null 2>&1 || { gitea_error "useradd not found: cannot create the user $GITEA_USER"; return 1; }
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin --comment "local Gitea (portal)" "$GITEA_USER" \
    || id -u "$GITEA_USER" >/dev/null 2>&1 \
    || { gitea_error "could not create the system user $GITEA_USER"; return 1; }
  gitea_say "created system user $GITEA_USER to run Gitea"
}

# The pid of our running Gitea, or nothing.
_gitea_pid() {
  local pid
  [ -f "$GITEA_PID_FILE" ] || return 0
  pid="$(cat "$GITEA_PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || [ -d "/proc/$pid" ] || return 0
  # A recycled pid is not ours: it must be the gitea binary.
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "gitea.* web" || return 0
  fi
  echo "$pid"
}

_gitea_answers() {
  curl -fsS --max-time 2 -o /dev/null "$GITEA_API/version" 2>/dev/null
}

# True when something listens on 127.0.0.1:$GITEA_PORT.
_gitea_port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$GITEA_PORT") 2>/dev/null
}

# Random secrets in files that app.ini names with *_URI, so that app.ini holds none and Gitea never
# has to write to it. Made by `gitea generate secret`, which knows each one's format.
_gitea_secrets() {
  local dir="$GITEA_DIR/secrets" name file
  for name in SECRET_KEY INTERNAL_TOKEN JWT_SECRET; do
    file="$dir/$(echo "$name" | tr 'A-Z_' 'a-z-')"
    [ -s "$file" ] && continue
    (umask 077 && _gitea_cli generate secret "$name" >"$file.tmp") \
      || { rm -f "$file.tmp"; gitea_error "gitea generate secret $name failed"; return 1; }
    mv -f "$file.tmp" "$file"
  done
  [ "$(id -u)" != "0" ] || chown -R "$GITEA_USER:" "$dir"
}

_gitea_write_ini() {
  local out="$1"
  cat >"$out" <<EOF
; Written by scripts/lib/gitea.sh (start_gitea) on every start: edit that file, not this one.
APP_NAME = Acme Forge (local)
RUN_MODE = prod
RUN_USER = $GITEA_USER
WORK_PATH = $GITEA_DIR

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = $GITEA_PORT
DOMAIN = localhost
ROOT_URL = http://localhost:$GITEA_PORT/
; Templates, options and web assets (built by tools/build.sh; this binary has no bindata).
STATIC_ROOT_PATH = $GITEA_STATIC
APP_DATA_PATH = $GITEA_DIR/data
DISABLE_SSH = true
START_SSH_SERVER = false
LFS_START_SERVER = false
; No CDN, no external fonts: nothing leaves the machine. (Gravatar and federated avatars are off by
; default in 1.27, and set in the admin panel, no longer here.)
OFFLINE_MODE = true

[database]
DB_TYPE = sqlite3
PATH = $GITEA_DIR/data/gitea.db
SQLITE_JOURNAL_MODE = WAL

[repository]
ROOT = $GITEA_DIR/data/gitea-repositories
DEFAULT_BRANCH = main
; \`git push\` to a repository that does not exist yet creates it.
ENABLE_PUSH_CREATE_USER = true
ENABLE_PUSH_CREATE_ORG = true

[security]
INSTALL_LOCK = true
SECRET_KEY_URI = file:$GITEA_DIR/secrets/secret-key
INTERNAL_TOKEN_URI = file:$GITEA_DIR/secrets/internal-token
; Webhooks may be delivered to the portal on this machine.
ALLOWED_HOST_LIST = loopback
PASSWORD_CHECK_PWN = false

[oauth2]
ENABLED = true
JWT_SECRET_URI = file:$GITEA_DIR/secrets/jwt-secret

[service]
; Accounts are made by provision_gitea (and the admin API), never by visitors.
DISABLE_REGISTRATION = true
ALLOW_ONLY_EXTERNAL_REGISTRATION = false
REQUIRE_SIGNIN_VIEW = false
ENABLE_NOTIFY_MAIL = false
ENABLE_CAPTCHA = false
DEFAULT_KEEP_EMAIL_PRIVATE = false
NO_REPLY_ADDRESS = noreply.localhost

[openid]
ENABLE_OPENID_SIGNIN = false
ENABLE_OPENID_SIGNUP = false

[mailer]
ENABLED = false

[session]
PROVIDER = file

[actions]
; No Actions runner can be built on this machine (see ../shared notes / tools/README.md).
ENABLED = false

[cron.update_checker]
ENABLED = false

[log]
MODE = console
LEVEL = Info
ROOT_PATH = $GITEA_DIR/log
EOF
}

start_gitea() {
  _gitea_env
  [ -x "$GITEA_BIN" ] && [ -f "$GITEA_STATIC/public/assets/.vite/manifest.json" ] \
    || { gitea_error "Gitea is not built: run tools/build.sh gitea"; return 1; }
  command -v curl >/dev/null 2>&1 || { gitea_error "curl not found"; return 1; }
  command -v git >/dev/null 2>&1 || { gitea_error "git not found (Gitea needs it)"; return 1; }
  _gitea_ensure_user || return 1

  mkdir -p "$GITEA_DIR"
  local new_ini pid
  new_ini="$(mktemp "$GITEA_DIR/.app.ini.XXXXXX")"
  _gitea_write_ini "$new_ini"
  pid="$(_gitea_pid)"
  if [ -n "$pid" ]; then
    if cmp -s "$new_ini" "$GITEA_INI"; then
      rm -f "$new_ini"
      _GITEA_LOG_FROM=""
      if _gitea_wait "$pid"; then
        gitea_say "already running on http://localhost:$GITEA_PORT/ (pid $pid) (skipped)"
        return 0
      fi
      return 1
    fi
    gitea_say "configuration changed: restarting"
    stop_gitea || { rm -f "$new_ini"; return 1; }
    _gitea_env
  fi
  if _gitea_port_taken; then
    rm -f "$new_ini"
    gitea_error "something else listens on 127.0.0.1:$GITEA_PORT (no Gitea of ours runs from ${GITEA_DIR#"$ROOT"/}); stop it or set GITEA_PORT"
    return 1
  fi

  local t=$SECONDS
  mkdir -p "$GITEA_DIR/data" "$GITEA_DIR/log" "$GITEA_DIR/custom" "$GITEA_DIR/home" "$GITEA_DIR/secrets"
  chmod 700 "$GITEA_DIR/secrets"
  mv -f "$new_ini" "$GITEA_INI"
  chmod 644 "$GITEA_INI"
  rm -f "$GITEA_PID_FILE"
  printf -- '--- %s start_gitea\n' "$(date -u +%FT%TZ)" >>"$GITEA_LOG"
  _GITEA_LOG_FROM="$(stat -c %s "$GITEA_LOG")"
  # Everything under the data folder belongs to the Gitea user (a no-op once it does).
  if [ "$(id -u)" = "0" ] && [ -n "$(find "$GITEA_DIR" ! -user "$GITEA_USER" -print -quit)" ]; then
    chown -R "$GITEA_USER:" "$GITEA_DIR"
  fi
  _gitea_as_user test -w "$GITEA_DIR/data" -a -r "$GITEA_STATIC/templates" -a -x "$GITEA_BIN" \
    || { gitea_error "user $GITEA_USER cannot write $GITEA_DIR/data or read .tools (check the permissions of the folders above them)"; return 1; }
  _gitea_secrets || return 1

  # In its own session, so that a Ctrl-C in the calling terminal does not stop it (stop_gitea does).
  # Gitea writes the pid file itself: setsid may fork, so $! is not always its pid.
  _gitea_user_prefix
  (cd "$GITEA_STATIC" && setsid "${_GITEA_AS_USER[@]}" "$GITEA_BIN" web --config "$GITEA_INI" \
    --work-path "$GITEA_DIR" --pid "$GITEA_PID_FILE" </dev/null >>"$GITEA_LOG" 2>&1 &)
  if _gitea_wait ""; then
    gitea_say "started on http://localhost:$GITEA_PORT/ (pid $(_gitea_pid)) in $((SECONDS - t))s; log: ${GITEA_LOG#"$ROOT"/}"
  else
    # Leave nothing half-started behind: the next start_gitea begins afresh.
    local failed_pid
    failed_pid="$(_gitea_pid)"
    if [ -n "$failed_pid" ]; then
      kill -TERM "$failed_pid" 2>/dev/null || true
      sleep 1
      kill -KILL "$failed_pid" 2>/dev/null || true
    fi
    rm -f "$GITEA_PID_FILE"
    return 1
  fi
}

# Waits until /api/v1/version answers. $1: the pid if already known.
_gitea_wait() {
  local pid="$1" timeout="${GITEA_START_TIMEOUT:-60}" start=$SECONDS fatal
  while :; do
    if _gitea_answers; then
      return 0
    fi
    # Gitea logs some start-up failures (a port taken, say) and then lingers without serving: look
    # for them in what it logged since this start.
    fatal=""
    if [ -n "${_GITEA_LOG_FROM:-}" ]; then
      fatal="$(tail -c +"$((_GITEA_LOG_FROM + 1))" "$GITEA_LOG" 2>/dev/null \
        | grep -m1 -E '\[F\]|Failed to start server' || true)"
    fi
    if [ -n "$fatal" ]; then
      gitea_error "Gitea failed to start; last lines of ${GITEA_LOG#"$ROOT"/}:"
      tail -n 25 "$GITEA_LOG" >&2
      return 1
    fi
    [ -n "$pid" ] || pid="$(_gitea_pid)"
    if [ -z "$pid" ] && [ $((SECONDS - start)) -ge 15 ]; then
      gitea_error "Gitea did not write ${GITEA_PID_FILE#"$ROOT"/} within 15s (it failed to start?); last lines of ${GITEA_LOG#"$ROOT"/}:"
      tail -n 25 "$GITEA_LOG" >&2
      return 1
    fi
    if [ -n "$pid" ] && [ ! -d "/proc/$pid" ]; then
      gitea_error "Gitea (pid $pid) exited while starting; last lines of ${GITEA_LOG#"$ROOT"/}:"
      tail -n 25 "$GITEA_LOG" >&2
      return 1
    fi
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      gitea_error "Gitea did not answer on $GITEA_API/version within ${timeout}s; last lines of ${GITEA_LOG#"$ROOT"/}:"
      tail -n 25 "$GITEA_LOG" >&2
      return 1
    fi
    sleep 0.3
  done
}

stop_gitea() {
  _gitea_env
  local pid i
  pid="$(_gitea_pid)"
  if [ -z "$pid" ]; then
    rm -f "$GITEA_PID_FILE"
    gitea_say "not running (skipped)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    gitea_say "pid $pid did not stop within 20s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$GITEA_PID_FILE"
  gitea_say "stopped (pid $pid)"
}

provision_gitea() {
  _gitea_env
  _gitea_answers || { gitea_error "Gitea does not answer on $GITEA_API: run start_gitea first"; return 1; }
  local t=$SECONDS

  # The portal's admin account and its API token, both made with the `gitea admin` command line, and
  # only when the token file is missing or its token no longer works. The random password the CLI
  # gives the account is not printed (gitea-provision.js sets one and keeps it in a file); the token
  # goes straight into its file.
  if ! _gitea_token_ok; then
    local admins tmp
    admins="$(_gitea_cli admin user list --admin 2>/dev/null | awk 'NR > 1 { print $2 }' || true)"
    if ! grep -qx portal-admin <<<"$admins"; then
      _gitea_cli admin user create --username portal-admin --email portal-admin@acme.example \
        --admin --random-password --must-change-password=false >/dev/null \
        || { gitea_error "could not create the portal-admin account"; return 1; }
      gitea_say "created admin account portal-admin"
    fi
    tmp="$(mktemp "$GITEA_DIR/.portal-token.XXXXXX")"
    chmod 600 "$tmp"
    _gitea_cli admin user generate-access-token --username portal-admin \
      --token-name "portal-$(date -u +%Y%m%dT%H%M%S)" --scopes all --raw >"$tmp" \
      && [ -s "$tmp" ] \
      || { rm -f "$tmp"; gitea_error "could not create an API token for portal-admin"; return 1; }
    mv -f "$tmp" "$GITEA_TOKEN_FILE"
    gitea_say "wrote a new API token for portal-admin to ${GITEA_TOKEN_FILE#"$ROOT"/} (mode 600)"
    _gitea_token_ok || { gitea_error "the new portal-admin token is refused by $GITEA_API/user"; return 1; }
  fi

  # Users, the acme organisation and its teams, from catalog/org.yaml.
  command -v node >/dev/null 2>&1 || { gitea_error "node not found (run ensure_node first)"; return 1; }
  GITEA_URL="http://127.0.0.1:$GITEA_PORT" GITEA_TOKEN_FILE="$GITEA_TOKEN_FILE" \
    GITEA_ADMIN_PASSWORD_FILE="$GITEA_DIR/portal-admin-password" \
    node "$ROOT/scripts/lib/gitea-provision.js" "$ROOT/catalog/org.yaml" \
    || { gitea_error "provisioning from catalog/org.yaml failed"; return 1; }
  # The portal's OIDC client: people sign in to the portal with their Gitea accounts.
  local redirects
  read -r -a redirects <<<"${GITEA_OIDC_REDIRECT_URIS:-http://localhost:7007/api/auth/oidc/handler/frame}"
  GITEA_URL="http://127.0.0.1:$GITEA_PORT" GITEA_TOKEN_FILE="$GITEA_TOKEN_FILE" \
    node "$ROOT/scripts/lib/gitea-oauth-app.js" "$GITEA_OIDC_CLIENT_FILE" "${redirects[@]}" \
    || { gitea_error "registering the portal's OAuth2 application failed"; return 1; }
  # Like everything in the data folder (start_gitea would otherwise chown it every time).
  if [ "$(id -u)" = "0" ]; then
    chown "$GITEA_USER:" "$GITEA_TOKEN_FILE" "$GITEA_DIR"/portal-admin-password "$GITEA_OIDC_CLIENT_FILE" 2>/dev/null || true
  fi
  gitea_say "provisioned in $((SECONDS - t))s"
}

ensure_forge() {
  start_gitea && provision_gitea || return 1
  _gitea_env
  export GITEA_URL="http://localhost:$GITEA_PORT"
  GITEA_TOKEN="$(cat "$GITEA_TOKEN_FILE")"
  export GITEA_TOKEN
  # The OIDC issuer is Gitea's ROOT_URL (localhost): the metadata URL must name the same host.
  export AUTH_OIDC_METADATA_URL="http://localhost:$GITEA_PORT/.well-known/openid-configuration"
  AUTH_OIDC_CLIENT_ID="$(node -p 'require(process.argv[1]).clientId' "$GITEA_OIDC_CLIENT_FILE")"
  AUTH_OIDC_CLIENT_SECRET="$(node -p 'require(process.argv[1]).clientSecret' "$GITEA_OIDC_CLIENT_FILE")"
  export AUTH_OIDC_CLIENT_ID AUTH_OIDC_CLIENT_SECRET
}

# True when the token file holds a token that Gitea accepts for portal-admin. The token goes to curl
# in a header file, never on its command line.
_gitea_token_ok() {
  [ -s "$GITEA_TOKEN_FILE" ] || return 1
  local login
  login="$(printf 'header = "Authorization: token %s"\n' "$(cat "$GITEA_TOKEN_FILE")" \
    | curl -fsS --max-time 5 -K - "$GITEA_API/user" 2>/dev/null \
    | grep -o '"login":"[^"]*"' | head -n1 || true)"
  [ "$login" = '"login":"portal-admin"' ]
}

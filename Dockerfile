# Production image of the portal: the backend, serving the built frontend, on Node 22 as a non-root
# user, configured by app-config.yaml + app-config.production.yaml (PostgreSQL from environment
# variables, OPA beside it as a sidecar; see README.md, "Production").
#
# Build it from the repo root after the host build steps (scripts/test runs them and checks that
# every COPY source below exists afterwards):
#
#   yarn install --immutable
#   yarn tsc
#   yarn build:backend          # packages/backend/dist/{skeleton,bundle}.tar.gz, frontend included
#   docker build -t acme/portal .
#
# Host build steps must use the same Node major (22) as the image: native modules must match.

# --- Stage 1: OpenTofu and its providers, built with Go from the versions pinned in tools/ ---
FROM golang:1.26-bookworm AS tools
WORKDIR /app
COPY tools ./tools
RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    tools/build.sh tofu terraform-provider-time

# --- Stage 2: the backend ---
FROM node:22-bookworm-slim

# better-sqlite3 needs libsqlite3 only when SQLite is used; production uses PostgreSQL, but the
# dependency is installed either way. git lets OpenTofu fetch modules from internal git hosts.
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && \
    apt-get install -y --no-install-recommends libsqlite3-dev git ca-certificates && \
    rm -rf /var/lib/apt/lists/*

# The least-privileged `node` user (uid 1000) runs the backend.
USER node
WORKDIR /app

# Files Yarn needs
COPY --chown=node:node .yarn ./.yarn
COPY --chown=node:node .yarnrc.yml backstage.json ./

ENV NODE_ENV=production

# The skeleton holds each package's package.json: with yarn.lock that is enough to install.
COPY --chown=node:node yarn.lock package.json packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz

RUN --mount=type=cache,target=/home/node/.cache/yarn,sharing=locked,uid=1000,gid=1000 \
    yarn workspaces focus --all --production && rm -rf "$(yarn cache clean)"

# What the platform team keeps in git and the portal reads at run time.
COPY --chown=node:node catalog ./catalog
COPY --chown=node:node templates ./templates
COPY --chown=node:node scorecards ./scorecards
COPY --chown=node:node policies ./policies
COPY --chown=node:node catalog-info.yaml ./

# OpenTofu, and the provider mirror it installs providers from.
COPY --from=tools --chown=node:node /app/.tools/bin/tofu /usr/local/bin/tofu
COPY --from=tools --chown=node:node /app/.tools/providers /app/.tools/providers
COPY --from=tools --chown=node:node /app/.tools/tofu.rc /app/.tools/tofu.rc
ENV TF_CLI_CONFIG_FILE=/app/.tools/tofu.rc

# The backend bundle (with the built frontend) and its configuration.
COPY --chown=node:node packages/backend/dist/bundle.tar.gz app-config.yaml app-config.production.yaml ./
RUN tar xzf bundle.tar.gz && rm bundle.tar.gz

EXPOSE 7007
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]

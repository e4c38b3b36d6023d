# syntax=docker/dockerfile:1
# One image for the API/portal server (the default command) and the ETL worker (compose.yaml runs
# both). The TypeScript sources run through scripts/ts-hooks.mjs exactly as `npm start` runs them —
# there is no build step, so the image holds the installed workspace.
# Not built on the project's own machines (they reach no image registry); see README "Operations".

FROM node:24-bookworm-slim AS build
WORKDIR /app
# pnpm in the version that package.json's packageManager pins
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
COPY . .
# with devDependencies: @swc/core (scripts/ts-hooks.mjs) is one of them
RUN pnpm install --frozen-lockfile && rm -rf scripts/toolchain
# the TypeScript compiled once into node_modules/.cache/hro-ts: the processes then never load swc
RUN node scripts/ts-warm.mjs

FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX: as `npm start` sets it for the server (scripts/node-flags.mjs)
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 MALLOC_ARENA_MAX=2
WORKDIR /app
# owned by root, run as the image's unprivileged `node` user: the code is read-only to the process
COPY --from=build /app /app
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --max-semi-space-size: the server's V8 flags as `npm start` sets them (scripts/node-flags.mjs)
CMD ["node", "--max-semi-space-size=4", "--enable-source-maps", "--import", "./scripts/ts-hooks.mjs", "packages/portal/src/main.ts"]

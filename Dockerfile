# syntax=docker/dockerfile:1
# Images for the Temporal worker (target runtime, the default: `node dist/src/worker.js`) and the
# Management API simulator (target simulator: `node dist/simulator/main.js`), both compiled by
# `npm run build`. Not built here: the machine this was written on has no Docker engine.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: full dependency tree (TypeScript is a devDependency) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` runs `npm run build`, and the sources are not here yet;
# no dependency needs its install script (package.json's allowScripts).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY simulator ./simulator
# tsc -p tsconfig.build.json (src, scripts and the simulator into dist/), then the prebuilt workflow
# bundle beside the worker (dist/src/workflow-bundle.js)
RUN npm run build

# --- simulator: runs from the build stage, which has the devDependencies it needs (PGlite) ---
FROM build AS simulator
ENV NODE_ENV=production
USER node
CMD ["node", "dist/simulator/main.js"]

# --- runtime (the worker, last so it is the default target): production dependencies and dist/src only ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
USER node
CMD ["node", "dist/src/worker.js"]

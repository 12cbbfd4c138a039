# syntax=docker/dockerfile:1
# Image for the Temporal worker (default command) and the Management API
# simulator (docker-compose.yml overrides the command). Not built here: the
# machine this was written on has no Docker engine.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: full dependency tree (TypeScript, ts-node are devDependencies) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# tsc -p tsconfig.build.json, then the prebuilt workflow bundle
RUN npm run build

# --- runtime: production dependencies and the compiled output only ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/worker.js"]

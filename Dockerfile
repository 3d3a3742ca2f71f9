# syntax=docker/dockerfile:1.7
# The image of any one service; SERVICE names its folder under services/. From the repository root:
#   docker build --build-arg SERVICE=profile -t profile .
# skaffold.yaml builds one per entry of packages/contracts/src/services.json this way.
ARG NODE_IMAGE=node:20-bookworm-slim

# 0. Only the workspace manifests, so the `npm ci` layers are rebuilt only when one changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY packages packages
COPY services services
RUN mkdir /manifests \
 && find packages services -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests \;

# 1. Compile the service and the packages it references, with every dev dependency.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.json tsconfig.base.json ./
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY packages packages
COPY services services
ARG SERVICE
RUN test -f "services/${SERVICE}/package.json" \
 || { echo "build with --build-arg SERVICE=<a folder of services/>" >&2; exit 1; }
# A service's tsconfig.json compiles its src without the tests (the testkit is not in the context).
RUN npx tsc -b "services/${SERVICE}" \
 && mkdir -p /out \
 && for dir in packages/platform packages/contracts "services/${SERVICE}"; do \
      mkdir -p "/out/${dir}" && tar -C "${dir}" -cf - \
        --exclude=./src --exclude=./node_modules --exclude='*.tsbuildinfo' --exclude='tsconfig*.json' . \
      | tar -C "/out/${dir}" -xf - ; \
    done

# 2. Production dependencies of this service (and its workspace packages) only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY --from=manifests /manifests/ ./
ARG SERVICE
# argon2 (auth) loads a prebuilt binary shipped in its package: no compiler needed.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace="@messenger/${SERVICE}" --no-audit --no-fund
COPY --from=build /out/ ./

# 3. Runtime: node as PID 1 (the shell execs it) handles SIGTERM itself (graceful drain), as the
#    non-root `node` user; the root filesystem may be read-only (only /tmp is written). The port is
#    the service's default (services.json) unless PORT is set, as the chart does.
FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps --chown=root:root /app ./
USER 1000:1000
CMD ["/bin/sh", "-c", "exec node --enable-source-maps \"services/${SERVICE}/dist/main.js\""]

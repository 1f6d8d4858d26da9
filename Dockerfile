# chatstream container image: `docker build -t chatstream . && docker run -it chatstream demo`
# Multi-stage: the build stage compiles TypeScript with the dev dependencies; the runtime stage holds only the
# compiled code, the production dependencies and the embedded models, runs as a non-root user and needs no network
# at start (the models are files in the image, nothing is downloaded).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CHATSTREAM_HEALTHCHECK_URL=http://127.0.0.1:8080/healthz
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data ./data
COPY demo ./demo
COPY schema ./schema
# The image's files belong to root and are read-only for the process; recordings go to a volume it owns.
RUN mkdir -p /var/lib/chatstream && chown node:node /var/lib/chatstream
VOLUME ["/var/lib/chatstream"]
USER node
EXPOSE 8080
# Healthy when the server answers /healthz: for `run --serve 0.0.0.0:8080 …`. A container that does not serve (the
# terminal demo) has no health to report: run it with --no-healthcheck, or point CHATSTREAM_HEALTHCHECK_URL elsewhere.
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.CHATSTREAM_HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["demo"]

# Postern: build in a full Rust image, run in a small Debian one as a non-root user.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release -p idp

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/postern postern \
    && mkdir -p /var/lib/postern/keys /var/lib/postern/outbox /etc/postern \
    && chown -R postern /var/lib/postern
COPY --from=build /src/target/release/idp /usr/local/bin/idp
COPY config/default.toml /etc/postern/default.toml
WORKDIR /var/lib/postern
USER postern
ENV IDP_LISTEN=0.0.0.0:8080 \
    IDP_PROFILE=prod \
    IDP_KEYS_DIR=/var/lib/postern/keys \
    IDP_OUTBOX_DIR=/var/lib/postern/outbox \
    IDP_DATABASE_URL=sqlite:///var/lib/postern/postern.db?mode=rwc
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["idp", "--config", "/etc/postern/default.toml"]
CMD ["serve"]

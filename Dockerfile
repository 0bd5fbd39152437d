# Builds tessera from Debian 12 packages only, then runs it on a slim image.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config libpistache-dev libpqxx-dev libsodium-dev \
      libspdlog-dev libfmt-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev libgtest-dev \
      prometheus-cpp-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Installed into a prefix of its own, so the runtime stage copies exactly what
# the install rules name (tessera and tessctl, both in /usr/local/bin of the
# image) and nothing else of this image.
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_TESTS=OFF -DTESSERA_BUILD_BENCH=OFF \
    && cmake --build /build -j2 \
    && cmake --install /build --prefix /opt/tessera

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpistache0 libpqxx-6.4 libsodium23 libspdlog1.10 libfmt9 libcurl4 libssl3 ca-certificates \
      libprometheus-cpp-core1.0 \
      curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 tessera
COPY --from=build /opt/tessera/ /usr/local/
# docker-compose.yml's one-shot bootstrap (the first superadmin key) and its
# tessctl service (tessctl with that key). /bootstrap belongs to the server's
# user, so the named volume mounted there starts with that owner (Docker
# copies a mount point's ownership into an empty volume).
COPY scripts/docker/bootstrap.sh /usr/local/bin/tessera-bootstrap
COPY scripts/docker/tessctl.sh /usr/local/bin/tessctl-bootstrap-key
RUN chmod 755 /usr/local/bin/tessera-bootstrap /usr/local/bin/tessctl-bootstrap-key \
    && mkdir -p /bootstrap && chown tessera /bootstrap && chmod 700 /bootstrap
USER tessera
EXPOSE 8080 8081
ENTRYPOINT ["/usr/local/bin/tessera"]
CMD ["serve"]

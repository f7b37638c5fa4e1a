# The ap-reconcile image: built on the official Swift image (the toolchain the test machine
# uses), run on a slim Debian with only the runtime packages, as the non-root user 10001.
#
#   docker build -t registry.example.com/ap-reconcile:"$(cat VERSION)" .
#
# The run needs no shell and writes nothing to the image: reports and state go to the folders
# given with --out and --state (volumes), temporary files to /tmp (an emptyDir in
# jobs/kubernetes/), so the root filesystem can be mounted read-only.
#
# The `swift build` flags and the runtime packages are scripts/package.sh's (its
# --print-build-flags and --print-runtime-packages); scripts/deploy-check.sh fails when they drift.

FROM swift:6.3.1-bookworm AS build
# libcurl's headers and pkg-config for the CCurl module. Versions are not pinned: bookworm's
# archive keeps only the latest point release of each package, so a pinned version stops
# installing at its next security update; the base image's tag fixes the distribution.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product ap-reconcile --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --product ap-reconcile --static-swift-stdlib --show-bin-path)/ap-reconcile" /out/ap-reconcile \
 && strip --strip-all /out/ap-reconcile \
 && /out/ap-reconcile --version

FROM debian:bookworm-slim
# Unpinned for the reason given in the build stage.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcurl4 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ap-reconcile \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin ap-reconcile
COPY --from=build /out/ap-reconcile /usr/local/bin/ap-reconcile
# Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
ENV TMPDIR=/tmp
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/ap-reconcile"]
CMD ["--help"]

#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test.
# This is the README's test command; .ci/run calls it and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
# Checkers the project did not write, which the tests and check-formats.py call: Stripe's webhook
# signature verifier, jsonschema, prometheus_client.
scripts/test-tools.sh

# The Prometheus Pushgateway that `run --metrics-push` is tested against (Tests/IntegrationTests/
# PushgatewayTests.swift), from Debian, installed only when missing. The tests fail rather than
# skip when it is absent, because this says it is required.
if [ ! -x /usr/bin/prometheus-pushgateway ]; then
  echo "test: installing prometheus-pushgateway with apt-get" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  # Where systemd runs, the package starts its own service on :9091; the tests start theirs on a free port.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus-pushgateway >/dev/null
fi
export AP_REQUIRE_PUSHGATEWAY=1

# The module layering of docs/architecture.md: imports as declared, libcurl behind APTransport,
# a pure engine and renderers, no server in the shipped binary.
python3 scripts/check-layering.py
# Standard parsers, independent of our code, for the committed golden outputs: report.json
# against its JSON Schema (jsonschema) and the metrics file (prometheus_client's text parser).
# DemoGoldenTests keeps both samples byte-identical to what the code writes.
python3 scripts/check-formats.py --report-json samples/reports/report.json --metrics samples/metrics/demo.prom
swift build --build-tests
# Each libFuzzer target for 10,000 inputs from the committed seeds (docs/fuzzing.md); builds in
# .build/fuzz. Before `swift test`, so the test runner's summary stays the last line.
scripts/fuzz.sh --smoke 10000
# The deployment recipes that cannot run here (Dockerfile, systemd unit, sysusers): linted and
# checked against scripts/package.sh. Seconds.
scripts/deploy-check.sh
# The release package in a minimal Debian root without the toolchain (needs root; the first run
# builds the release binary and downloads the root). AP_SKIP_PACKAGE_TEST=1 skips it locally.
if [ "${AP_SKIP_PACKAGE_TEST:-0}" = 1 ]; then
  echo "test: AP_SKIP_PACKAGE_TEST=1: scripts/package-test.sh skipped" >&2
else
  AP_PACKAGE_TEST_SANDBOX=.build/debug/ap-sandbox scripts/package-test.sh
fi
# Tests that cross HTTP start the sandbox in-process on 127.0.0.1 and use the real libcurl client.
swift test --skip-build

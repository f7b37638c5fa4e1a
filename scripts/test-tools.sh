#!/usr/bin/env bash
# Tools the tests check the job's output with that the project did not write, installed when
# missing: Stripe's Python library verifies the webhook signature (t=…,v1=… scheme), jsonschema
# validates report.json against its schema, prometheus_client parses the metrics file.
# Sourced by scripts/test.sh after bootstrap.sh; safe to run again.
set -euo pipefail

pip_install() {
  python3 -m pip --version >/dev/null 2>&1 || {
    echo "test-tools: installing python3-pip with apt-get" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3 python3-pip >/dev/null
  }
  echo "test-tools: installing $* with pip" >&2
  # Debian's own python3 refuses a system-wide install unless told (PEP 668).
  python3 -m pip install --quiet "$@" 2>/dev/null || python3 -m pip install --quiet --break-system-packages "$@"
}

python3 -c "import stripe" 2>/dev/null || pip_install "stripe>=7"
python3 -c "import jsonschema" 2>/dev/null || pip_install "jsonschema>=4.18"
python3 -c "import prometheus_client" 2>/dev/null || pip_install "prometheus_client>=0.17"

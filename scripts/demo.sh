#!/usr/bin/env bash
# The main job on the bundled sample data: installs what is missing, builds, runs `ap-reconcile demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

swift build -c release --product ap-reconcile
exec .build/release/ap-reconcile demo "$@"

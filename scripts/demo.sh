#!/usr/bin/env bash
# The main job on the bundled sample data: installs what is missing, builds, runs `ap-reconcile-demo`
# (the real ap-reconcile pipeline against the sandbox serving samples/api, in one process).
# Extra arguments go to `ap-reconcile-demo` (see `ap-reconcile-demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

mkdir -p .build
echo "building ap-reconcile-demo (release; the first build takes several minutes)..." >&2
if ! swift build -c release --product ap-reconcile-demo > .build/demo-build.log 2>&1; then
  cat .build/demo-build.log >&2
  echo "demo: the build failed (log above, also in .build/demo-build.log)" >&2
  exit 1
fi
exec .build/release/ap-reconcile-demo "$@"

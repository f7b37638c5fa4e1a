#!/usr/bin/env bash
# The performance benchmark (docs/performance.md): release build of the job and of ap-bench,
# then every part (online S, M and the shapes month, nightly, tail at 20 ms, with by-id rows for the
# shapes; offline 250k/500k/1M lines; sandbox throughput).
# The results replace the block between the bench markers in docs/performance.md.
# Extra arguments go to `ap-bench run` (see `.build/release/ap-bench run --help`), e.g.
#   scripts/bench.sh --sizes S --by-id-sizes '' --offline-lines 100000 --load-seconds 3     # a quick look
# Never run by scripts/test.sh: it takes minutes and its figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

# wrk measures the sandbox's throughput; without it ap-bench uses its built-in load generator.
if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || echo "bench: wrk not installed; using the built-in load generator" >&2
fi

mkdir -p .build
echo "building ap-reconcile and ap-bench (release)..." >&2
for product in ap-reconcile ap-bench; do
  if ! swift build -c release --product "$product" > .build/bench-build.log 2>&1; then
    cat .build/bench-build.log >&2
    echo "bench: the build of $product failed (log above, also in .build/bench-build.log)" >&2
    exit 1
  fi
done
exec .build/release/ap-bench run --binary .build/release/ap-reconcile --write docs/performance.md "$@"

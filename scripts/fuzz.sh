#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer) and runs them. See docs/fuzzing.md.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]   fuzz TARGET (default: all, one after another) for
#                                            SECONDS each (default 60)
#   scripts/fuzz.sh --smoke [RUNS]           every target for RUNS inputs (default 10000) from the
#                                            committed seeds, fixed seed: the test command's check
#   scripts/fuzz.sh --build                  only build the targets
#
# TARGET: page-decoder, money, retry-after, job-file.
# Environment: FUZZ_ARGS  extra libFuzzer flags (e.g. FUZZ_ARGS="-jobs=2 -workers=2").
# Builds in .build/fuzz (release, -sanitize=fuzzer,address, -DFUZZING), apart from the normal build.
# Inputs that grow coverage go to .build/fuzz/corpus/TARGET (not committed; see docs/fuzzing.md
# to promote them into Fuzz/corpus/). Crashes, leaks, timeouts and failed checks are saved under
# Fuzz/findings/TARGET/ (gitignored).
# Exit status: 0 no finding, 1 a finding (its file is named), 2 usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

targets=(page-decoder money retry-after job-file camt bai2 mt940 csv)
# Longest input per target: long enough for deep JSON nesting, short enough to stay fast.
max_len() {
  case "$1" in
    page-decoder) echo 16384 ;; job-file) echo 8192 ;; money) echo 512 ;; retry-after) echo 128 ;;
    camt) echo 16384 ;; bai2|mt940|csv) echo 8192 ;;
  esac
}

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

mode=time runs=10000 seconds=60 selected=all
case "${1:-}" in
  -h|--help) usage 0 ;;
  --smoke) mode=smoke; runs="${2:-10000}" ;;
  --build) mode=build ;;
  "") ;;
  *) selected="$1"; seconds="${2:-60}" ;;
esac
[[ "$runs" =~ ^[0-9]+$ && "$seconds" =~ ^[0-9]+$ ]] || usage
if [ "$selected" != all ]; then
  [[ " ${targets[*]} " == *" $selected "* ]] || { echo "fuzz: unknown target '$selected' (${targets[*]})" >&2; exit 2; }
  targets=("$selected")
fi

# One -sanitize= list: swiftc keeps only the last of several -sanitize= flags. lld (shipped with
# the toolchain): the system's ld.gold dies on these objects ("internal error in format_file_lineno").
# No manifest cache: it would keep an earlier build's flags.
flags=(-c release --scratch-path .build/fuzz --disable-build-manifest-caching -Xswiftc -DFUZZING
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
mkdir -p .build/fuzz
for t in "${targets[@]}"; do
  echo "fuzz: building fuzz-$t (release, fuzzer + address sanitizer; log in .build/fuzz/build-$t.log)" >&2
  if ! swift build "${flags[@]}" --product "fuzz-$t" > ".build/fuzz/build-$t.log" 2>&1; then
    cat ".build/fuzz/build-$t.log" >&2
    echo "fuzz: building fuzz-$t failed (log above)" >&2
    exit 2
  fi
done
[ "$mode" = build ] && exit 0
bin="$(swift build "${flags[@]}" --show-bin-path)"

# Swift's crash backtracer hangs under the address sanitizer; libFuzzer prints the stack itself.
export SWIFT_BACKTRACE=enable=no
status=0
for t in "${targets[@]}"; do
  findings="Fuzz/findings/$t"
  mkdir -p "$findings"
  if [ "$mode" = smoke ]; then
    # A fresh folder: the smoke run must not depend on (or add to) a local corpus.
    work="$(mktemp -d)"
    # A fixed seed: the test command replays the same inputs on every machine, so it cannot
    # turn red by chance; new inputs come from the timed runs.
    limit=(-runs="$runs" -seed=1)
  else
    work=".build/fuzz/corpus/$t"
    limit=(-max_total_time="$seconds")
  fi
  mkdir -p "$work"
  log=".build/fuzz/run-$t.log"
  echo "fuzz: $t: ${limit[*]} (log in $log)" >&2
  set +e
  # The first folder receives new inputs; the committed seeds are only read.
  "$bin/fuzz-$t" "$work" "Fuzz/corpus/$t" -dict="Fuzz/dict/$t.dict" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
    "${limit[@]}" ${FUZZ_ARGS:-} > "$log" 2>&1
  rc=$?
  set -e
  [ "$mode" = smoke ] && rm -rf "$work"
  stats="$(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added):' "$log" | sed 's/^stat:://' | tr -s ' ' | tr '\n' ' ' || true)"
  cov="$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 || true)"
  if [ $rc -eq 0 ]; then
    echo "fuzz: $t: no finding; $stats; $cov" >&2
  else
    status=1
    tail -40 "$log" >&2
    echo "fuzz: $t: FINDING (exit $rc): $(grep -Eo "(crash|leak|timeout|oom|slow-unit)-[0-9a-f]+" "$log" | sort -u | sed "s|^|$findings/|" | tr '\n' ' ')" >&2
    echo "fuzz: reproduce with: $bin/fuzz-$t FILE   (or .build/debug/fuzz-$t FILE without sanitizers)" >&2
  fi
done
exit $status

#!/usr/bin/env bash
# Memory errors and leaks, with AddressSanitizer; on Linux it includes
# LeakSanitizer, which reports every allocation unreachable at exit. Not part of
# scripts/test.sh: it rebuilds every dependency instrumented (long on 2 cores).
#
#   scripts/sanitize.sh           end-to-end runs of an instrumented ap-reconcile: the demo
#                                 (sandbox in-process, libcurl, every stage), a run with retries,
#                                 resets and truncated bodies, a run that gives up (69), a run
#                                 against a closed port, a run refused by TLS, a protocol fault.
#   scripts/sanitize.sh --suite   also the IntegrationTests and APTransportTests suites, built
#                                 instrumented (longer still).
#
# Builds into .build-asan/ (the normal .build/ is left alone, except that ap-sandbox is built
# there to serve the runs). Logs: .build-asan/sanitize/. Exit 0 when nothing was found.
# valgrind is no alternative here: 3.19 cannot read the DWARF 5 of Swift 6 binaries, and
# without debug info it crashes on libdispatch's signal thread (docs/hardening.md).
# The last recorded result is in docs/hardening.md § Memory and leaks.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

asan=(--build-path .build-asan -Xswiftc -sanitize=address)
swift build --product ap-reconcile "${asan[@]}"
swift build --product ap-sandbox
binary=$(swift build --product ap-reconcile "${asan[@]}" --show-bin-path)/ap-reconcile
logs=.build-asan/sanitize
rm -rf "$logs"; mkdir -p "$logs"
scratch=$(mktemp -d)
sandbox_pid=""
cleanup() { if [[ -n "$sandbox_pid" ]]; then kill "$sandbox_pid" 2>/dev/null || true; fi; rm -rf "$scratch"; }
trap cleanup EXIT

# A finding makes the process exit 23 and writes the report to its stderr.
export ASAN_OPTIONS="detect_leaks=1:exitcode=23:halt_on_error=1"
export AP_CLIENT_ID=sanitize-client AP_CLIENT_SECRET=sanitize-secret-Vb71
window=(--since 2026-11-01 --until 2026-11-08 --as-of 2026-11-08T06:00:00Z)

failures=0
# check NAME EXPECTED_EXIT COMMAND…
check() {
    local name=$1 expected=$2; shift 2
    set +e
    "$@" >"$logs/$name.out" 2>"$logs/$name.err"
    local status=$?
    set -e
    if grep -q "ERROR: \(AddressSanitizer\|LeakSanitizer\)" "$logs/$name.err"; then
        echo "FINDING  $name: $(grep -m1 "SUMMARY:" "$logs/$name.err") (see $logs/$name.err)"
        failures=$((failures + 1))
    elif [[ $status -ne $expected ]]; then
        echo "EXIT     $name: exit $status, expected $expected: $(tail -1 "$logs/$name.err")"
        failures=$((failures + 1))
    else
        echo "clean    $name (exit $status): $(tail -1 "$logs/$name.err" | cut -c1-110)"
    fi
}

start_sandbox() {
    .build/debug/ap-sandbox serve --port 0 --dataset samples/api --max-page-size 2 --default-page-size 2 \
        --client-id sanitize-client "$@" >"$scratch/sandbox.out" 2>"$scratch/sandbox.err" &
    sandbox_pid=$!
    base=""
    for _ in $(seq 1 300); do
        base=$(sed -n 's/^listening on //p' "$scratch/sandbox.out" 2>/dev/null)
        [[ -n "$base" ]] && break
        sleep 0.1
    done
    [[ -n "$base" ]] || { echo "sanitize.sh: the sandbox did not start: $(cat "$scratch/sandbox.err")" >&2; exit 1; }
}
stop_sandbox() { kill "$sandbox_pid"; wait "$sandbox_pid" || true; sandbox_pid=""; }

check demo 0 "$binary" demo --out "$scratch/demo"

start_sandbox --error-rate 0.1 --drop-rate 0.05 --truncate-rate 0.05 --rate-limit-rate 0.05 --retry-after 0
check faults 1 "$binary" run --base-url "$base" "${window[@]}" --out "$scratch/faults" --max-attempts 10 --log-level trace
stop_sandbox

start_sandbox --error-rate 1 --no-faults-on-token-endpoint
check gives-up 69 "$binary" run --base-url "$base" "${window[@]}" --out "$scratch/gives-up" --max-attempts 3 --retry-budget 3
stop_sandbox

check refused 69 "$binary" run --base-url http://127.0.0.1:9 "${window[@]}" --out "$scratch/refused" --max-attempts 2

# https with a certificate nobody trusts (openssl makes a throwaway one), then trusted.
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1" \
        -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
    start_sandbox --tls-cert "$scratch/cert.pem" --tls-key "$scratch/key.pem"
    check tls-untrusted 69 "$binary" run --base-url "$base" "${window[@]}" --out "$scratch/tls-untrusted"
    check tls-trusted 1 "$binary" run --base-url "$base" "${window[@]}" --out "$scratch/tls-trusted" --ca-bundle "$scratch/cert.pem"
    stop_sandbox
else
    echo "skipped  tls-untrusted, tls-trusted: no openssl to make a certificate"
fi

# Credentials refused (77): the error path through the token provider.
start_sandbox
check wrong-credentials 77 env AP_CLIENT_SECRET=wrong "$binary" run --base-url "$base" "${window[@]}" --out "$scratch/wrong"
stop_sandbox

if [[ "${1:-}" == "--suite" ]]; then
    swift build --build-tests "${asan[@]}"
    set +e
    swift test --skip-build "${asan[@]}" --filter "IntegrationTests|APTransportTests" >"$logs/suite.log" 2>&1
    status=$?
    set -e
    # Every binary the suite launches is the instrumented one and inherits ASAN_OPTIONS, so a
    # leak or memory error in ap-reconcile makes it exit 23 and fails its test: a passing suite
    # means clean children. What is left to read is the test process's own report at its exit.
    # It lists allocations of the test harness, Foundation (Process, contents-of-file) and
    # XCTest that LeakSanitizer cannot see the owners of: Swift keeps flag bits in the spare bits
    # of pointers (String, enums with payloads), which LSan does not recognise as pointers
    # (llvm/llvm-project#56751, swiftlang/swift-corelibs-xctest#342; docs/hardening.md). A leak
    # of the job's own resources would have a frame in the transport, the client or libcurl
    # (easy/multi handles, header lists, callback contexts): those are findings.
    # `swift test` itself exits non-zero whenever the test process's report is not empty (it
    # never is, see above), so the tests' own verdict is read from the log.
    if grep -q "ERROR: AddressSanitizer" "$logs/suite.log"; then
        echo "FINDING  suite: memory error (see $logs/suite.log)"; failures=$((failures + 1))
    elif grep -q "✘" "$logs/suite.log" || ! grep -q "Test run with .* passed" "$logs/suite.log" \
        || grep -q "with [1-9][0-9]* failures" "$logs/suite.log"; then
        echo "EXIT     suite: tests failed, swift test exit $status (see $logs/suite.log)"; failures=$((failures + 1))
    else
        product=$(awk '/^(Direct|Indirect) leak/ { if (block != "" && block ~ /( in \$s11APTransport| in \$s8APClient| in [Cc]url_|libcurl)/) n++; block = "" } { block = block $0 "\n" }
                       END { if (block ~ /( in \$s11APTransport| in \$s8APClient| in [Cc]url_|libcurl)/) n++; print n + 0 }' "$logs/suite.log")
        reported=$(grep -c "^\(Direct\|Indirect\) leak" "$logs/suite.log" || true)
        if [[ $product -gt 0 ]]; then
            echo "FINDING  suite: $product leak report(s) with a transport, client or libcurl frame (see $logs/suite.log)"
            failures=$((failures + 1))
        else
            echo "clean    suite: $(grep -E "Test run with" "$logs/suite.log" | tail -1 | sed -e 's/^. //' -e 's/\.$//'); every launched ap-reconcile leak-free;" \
                 "test process: $reported report(s), none in the transport, client or libcurl ($(grep "SUMMARY: AddressSanitizer" "$logs/suite.log" | sed 's/SUMMARY: AddressSanitizer: //' | paste -sd ';' -))"
        fi
    fi
fi

if [[ $failures -gt 0 ]]; then
    echo "sanitize.sh: $failures run(s) with findings" >&2
    exit 1
fi
echo "sanitize.sh: no memory errors and no leaks"
